//! OFAC sanctions: the SDN list and sanctioned digital-currency addresses (in progress).
