//! Sparse JSON: a record parsed into only the object keys a reader looks at ([`Keys`]), with
//! the values under them kept as they are (type drift included: numbers as strings, `"null"`,
//! objects where a list was expected), and every other value validated and dropped.
//!
//! It answers every lookup a reader makes exactly as the record's [`Value`] would ([`Any::at`]
//! is [`super::at`], [`Any::text`] is [`super::text`]; a repeated key keeps its last value, as a
//! [`Value`] does), and it accepts exactly the text a [`Value`] parse accepts: dropped values go
//! through the same string, escape and number checks (serde's `IgnoredAny` skips some of them).
//! It is much cheaper than a [`Value`], whose objects are IndexMaps in this workspace (the
//! `evtx` crate turns on serde_json's `preserve_order`): no map, no key strings, strings
//! borrowed from the input when they have no escapes.
//!
//! Keys whose object a reader iterates (custom fields) are kept whole as a [`Value`]
//! ([`Keys::whole`]).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::Scalar;

/// The object keys a reader looks at.
pub trait Keys: Copy + Eq + fmt::Debug + 'static {
    /// The key spelled `name` (exactly), if the reader looks at it.
    fn of(name: &str) -> Option<Self>;
    /// Whether the value under this key is kept whole, as a [`Value`].
    fn whole(self) -> bool {
        false
    }
}

/// A JSON value with its objects reduced to the keys of `K`.
#[derive(Debug, Clone, PartialEq)]
pub enum Any<'a, K> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(Number),
    /// A string (borrowed from the input when it has no escapes).
    Str(Cow<'a, str>),
    /// An array.
    Arr(Vec<Any<'a, K>>),
    /// An object: its keys of `K`, each once (the last value of a repeated key).
    Obj(Vec<(K, Any<'a, K>)>),
    /// The whole value under a [`Keys::whole`] key.
    Whole(Box<Value>),
}

impl<'a, K: Keys> Any<'a, K> {
    /// The value under `key` of an object.
    pub fn get(&self, key: K) -> Option<&Any<'a, K>> {
        match self {
            Any::Obj(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of keys (see [`super::at`]).
    pub fn at(&self, path: &[K]) -> Option<&Any<'a, K>> {
        let mut cur = self;
        for k in path {
            cur = cur.get(*k)?;
        }
        Some(cur)
    }

    /// The elements of an array.
    pub fn as_array(&self) -> Option<&[Any<'a, K>]> {
        match self {
            Any::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is an object (a kept whole object included).
    pub fn is_object(&self) -> bool {
        matches!(self, Any::Obj(_)) || matches!(self, Any::Whole(v) if v.is_object())
    }

    /// The whole value under a [`Keys::whole`] key.
    pub fn whole(&self) -> Option<&Value> {
        match self {
            Any::Whole(v) => Some(v),
            _ => None,
        }
    }

    /// The value seen as a scalar.
    pub fn scalar(&self) -> Scalar<'_> {
        match self {
            Any::Null => Scalar::Null,
            Any::Bool(b) => Scalar::Bool(*b),
            Any::Num(n) => Scalar::Num(n),
            Any::Str(s) => Scalar::Str(s),
            Any::Arr(_) | Any::Obj(_) => Scalar::Compound,
            Any::Whole(v) => Scalar::of(v),
        }
    }

    /// Text of a scalar (see [`super::text`]).
    pub fn text(&self) -> Option<Cow<'_, str>> {
        self.scalar().text()
    }

    /// Owned text at a path (see [`super::text_at`]).
    pub fn text_at(&self, path: &[K]) -> Option<String> {
        self.at(path).and_then(Any::text).map(Cow::into_owned)
    }
}

impl<'de, K: Keys> Deserialize<'de> for Any<'de, K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyVisitor(PhantomData))
    }
}

struct AnyVisitor<K>(PhantomData<K>);

impl<'de, K: Keys> Visitor<'de> for AnyVisitor<K> {
    type Value = Any<'de, K>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Any::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Any::Num(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Any::Num(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        // As `Value` does: a non-finite float (never from JSON text) is null.
        Ok(Number::from_f64(n).map_or(Any::Null, Any::Num))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Any::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Any::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Any::Str(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Any::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Any::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Any::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Any::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(K, Any<'de, K>)> = Vec::new();
        while let Some(KeyOf(key)) = map.next_key::<KeyOf<K>>()? {
            let Some(key) = key else {
                map.next_value::<Checked>()?;
                continue;
            };
            let value = if key.whole() {
                Any::Whole(Box::new(map.next_value::<Value>()?))
            } else {
                map.next_value::<Any<'de, K>>()?
            };
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(Any::Obj(entries))
    }
}

/// An object key: one of `K`, or `None` for a key the reader does not look at.
struct KeyOf<K>(Option<K>);

impl<'de, K: Keys> Deserialize<'de> for KeyOf<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<K>(PhantomData<K>);
        impl<K: Keys> Visitor<'_> for V<K> {
            type Value = KeyOf<K>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, s: &str) -> Result<KeyOf<K>, E> {
                Ok(KeyOf(K::of(s)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

/// A value that is parsed as fully as a [`Value`] would be (strings decoded, numbers
/// converted) and dropped.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_none<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Checked, D::Error> {
        Checked::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
}

/// Parses one record's JSON text (see [`super::TextMapper`]): `None` when it is not valid JSON,
/// so the caller's [`Value`] path gives the reason.
pub fn parse<'a, K: Keys>(text: &'a [u8]) -> Option<Any<'a, K>> {
    serde_json::from_slice(text).ok()
}

/// The sparse form of a [`Value`] (records of whole documents).
pub fn of_value<K: Keys>(v: &Value) -> Any<'_, K> {
    // Deserializing from a `Value` cannot fail: every JSON value is an `Any`.
    Any::deserialize(v).unwrap_or(Any::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum T {
        A,
        B,
        W,
    }
    impl Keys for T {
        fn of(name: &str) -> Option<T> {
            match name {
                "a" => Some(T::A),
                "b" => Some(T::B),
                "w" => Some(T::W),
                _ => None,
            }
        }
        fn whole(self) -> bool {
            self == T::W
        }
    }

    /// Parsing the text and parsing its `Value` agree, and both accept the same texts.
    fn same(text: &str) {
        let fast = parse::<T>(text.as_bytes());
        let value = serde_json::from_str::<Value>(text).ok();
        assert_eq!(fast.is_some(), value.is_some(), "{text}");
        if let (Some(f), Some(v)) = (fast, value) {
            assert_eq!(f, of_value::<T>(&v), "{text}");
        }
    }

    #[test]
    fn keeps_looked_at_keys_and_checks_the_rest() {
        let t = r#"{"a": {"b": [1, "x\n", null, {"a": true}]}, "c": {"d": [1.5]}, "w": {"k": {"v": 2}}, "a": " 7 "}"#;
        let v = parse::<T>(t.as_bytes()).unwrap();
        // The last `a` wins, as in a `Value`.
        assert_eq!(v.text_at(&[T::A]).as_deref(), Some("7"));
        assert_eq!(v.at(&[T::W]).and_then(Any::whole).unwrap()["k"]["v"], 2);
        assert!(matches!(v, Any::Obj(ref e) if e.len() == 2));
        for t in [
            t,
            r#"{"a": 1, "a": {"b": "n"}}"#,
            r#"{"a": "null", "b": 12345678901234567890123, "w": null}"#,
            r#"{"a": [], "b": {}, "c": -0.0}"#,
            // Dropped values are checked like a `Value` parse checks them.
            r#"{"c": "\ud800"}"#,
            r#"{"c": 1e400}"#,
            r#"{"c": "\x"}"#,
            r#"{"c": [1,]}"#,
            r#"{"c\u0061": 1}"#,
            r#"{"\u0061": 1}"#,
            "{\"c\": \"tab\there\"}",
        ] {
            same(t);
        }
        assert!(parse::<T>(b"{\"c\": \"\xff\"}").is_none());
        assert!(parse::<T>(b"{\"a\": 1} x").is_none());
    }
}
