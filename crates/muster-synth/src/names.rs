//! Synthetic given and family names from many origins.
//!
//! Every person, legitimate or fraudulent, draws a name through [`draw`] from the same weighted
//! mixture, so the name's apparent origin carries no information about the label: muster must
//! never use it as evidence, and the generator must not make it useful.

use rand::Rng;

/// One name origin: weight in percent, given names, family names.
pub(crate) struct Origin {
    /// Short label, only used by tests.
    #[allow(dead_code)]
    pub label: &'static str,
    /// Share of people (percent) drawing their given name from this origin.
    pub weight: u32,
    pub given: &'static [&'static str],
    pub family: &'static [&'static str],
}

/// The origins with their population weights (percent; they sum to 100).
pub(crate) const ORIGINS: &[Origin] = &[
    Origin {
        label: "anglo",
        weight: 34,
        given: &[
            "James",
            "Mary",
            "Michael",
            "Jennifer",
            "Robert",
            "Linda",
            "David",
            "Elizabeth",
            "William",
            "Sarah",
            "John",
            "Jessica",
            "Christopher",
            "Emily",
            "Matthew",
            "Ashley",
            "Daniel",
            "Megan",
            "Andrew",
            "Lauren",
            "Ryan",
            "Rachel",
            "Tyler",
            "Hannah",
            "Brandon",
            "Nicole",
            "Kevin",
            "Amanda",
            "Justin",
            "Stephanie",
            "Marcus",
            "Tiffany",
            "Jamal",
            "Keisha",
            "Darnell",
            "Latoya",
            "Connor",
            "Abigail",
            "Ethan",
            "Madison",
        ],
        family: &[
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Martin",
            "Thompson",
            "White",
            "Harris",
            "Clark",
            "Lewis",
            "Robinson",
            "Walker",
            "Young",
            "Allen",
            "King",
            "Wright",
            "Scott",
            "Green",
            "Baker",
            "Adams",
            "Nelson",
            "Hill",
            "Campbell",
            "Mitchell",
            "Roberts",
            "Carter",
            "Phillips",
            "Evans",
            "Turner",
            "Parker",
            "Collins",
            "Edwards",
            "Stewart",
            "Morris",
            "Murphy",
            "Cook",
            "Rogers",
            "Morgan",
            "Cooper",
            "Peterson",
            "Reed",
            "Bailey",
            "Bell",
            "Kelly",
            "Howard",
            "Ward",
            "Cox",
            "Richardson",
            "Wood",
            "Watson",
            "Brooks",
            "Bennett",
            "Gray",
            "Hughes",
            "Price",
            "Sanders",
            "Myers",
            "Long",
            "Ross",
            "Foster",
            "O'Brien",
            "Sullivan",
            "Fitzgerald",
            "Washington",
            "Jefferson",
            "Coleman",
            "Jenkins",
        ],
    },
    Origin {
        label: "hispanic",
        weight: 16,
        given: &[
            "Jose",
            "Maria",
            "Juan",
            "Ana",
            "Carlos",
            "Sofia",
            "Luis",
            "Valentina",
            "Miguel",
            "Camila",
            "Jorge",
            "Isabella",
            "Alejandro",
            "Gabriela",
            "Diego",
            "Lucia",
            "Fernando",
            "Daniela",
            "Ricardo",
            "Mariana",
            "Javier",
            "Paula",
            "Andres",
            "Elena",
            "Mateo",
            "Ximena",
        ],
        family: &[
            "Garcia",
            "Rodriguez",
            "Martinez",
            "Hernandez",
            "Lopez",
            "Gonzalez",
            "Perez",
            "Sanchez",
            "Ramirez",
            "Torres",
            "Flores",
            "Rivera",
            "Gomez",
            "Diaz",
            "Reyes",
            "Morales",
            "Cruz",
            "Ortiz",
            "Gutierrez",
            "Chavez",
            "Ramos",
            "Ruiz",
            "Alvarez",
            "Mendoza",
            "Castillo",
            "Jimenez",
            "Vargas",
            "Romero",
            "Herrera",
            "Medina",
            "De la Cruz",
            "Aguilar",
        ],
    },
    Origin {
        label: "chinese",
        weight: 7,
        given: &[
            "Wei", "Jing", "Xin", "Hao", "Yan", "Jun", "Mei", "Lei", "Ying", "Hui", "Tao", "Fang",
            "Qiang", "Xiu", "Ming", "Na", "Bo", "Ting", "Kai", "Yue", "Zhen", "Xiaoling",
        ],
        family: &[
            "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
            "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Zheng", "Liang", "Xie",
            "Tang", "Chan", "Wong", "Lau",
        ],
    },
    Origin {
        label: "indian",
        weight: 9,
        given: &[
            "Aarav", "Priya", "Rahul", "Ananya", "Arjun", "Divya", "Vikram", "Kavya", "Rohan",
            "Neha", "Sanjay", "Pooja", "Amit", "Shreya", "Karthik", "Lakshmi", "Suresh", "Deepika",
            "Nikhil", "Aditi", "Rajesh", "Meera", "Varun", "Sneha",
        ],
        family: &[
            "Patel",
            "Sharma",
            "Singh",
            "Kumar",
            "Gupta",
            "Reddy",
            "Iyer",
            "Rao",
            "Nair",
            "Shah",
            "Mehta",
            "Joshi",
            "Desai",
            "Chopra",
            "Agarwal",
            "Krishnan",
            "Menon",
            "Pillai",
            "Bhat",
            "Kapoor",
            "Malhotra",
            "Verma",
            "Mishra",
            "Chatterjee",
            "Banerjee",
            "Das",
        ],
    },
    Origin {
        label: "korean",
        weight: 3,
        given: &[
            "Min-jun",
            "Seo-yeon",
            "Ji-hoon",
            "Ji-woo",
            "Hyun-woo",
            "Soo-ah",
            "Dong-hyun",
            "Ha-eun",
            "Jae-won",
            "Yu-jin",
            "Sung-min",
            "Eun-ji",
            "Tae-yang",
            "Hye-jin",
            "Joon-ho",
            "Na-yeon",
        ],
        family: &[
            "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han",
            "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong",
        ],
    },
    Origin {
        label: "vietnamese",
        weight: 3,
        given: &[
            "Minh", "Linh", "Anh", "Trang", "Huy", "Thao", "Duc", "Ngoc", "Khanh", "Lan", "Tuan",
            "Hoa", "Quang", "Mai", "Long", "Phuong",
        ],
        family: &[
            "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ho",
            "Ngo", "Duong", "Ly",
        ],
    },
    Origin {
        label: "filipino",
        weight: 3,
        given: &[
            "Mark",
            "Angelica",
            "John Paul",
            "Kristine",
            "Jericho",
            "Rhea",
            "Paolo",
            "Jasmine",
            "Carlo",
            "Bea",
            "Rodel",
            "Maricel",
            "Arnel",
            "Joy",
        ],
        family: &[
            "Santos",
            "Bautista",
            "Ocampo",
            "Mendoza",
            "Tomas",
            "Andrada",
            "Villanueva",
            "Aquino",
            "Navarro",
            "Dela Cruz",
            "Manalo",
            "Pascual",
            "Soriano",
            "Macaraeg",
        ],
    },
    Origin {
        label: "arabic",
        weight: 4,
        given: &[
            "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Layla", "Hassan", "Noor", "Khalid",
            "Yasmin", "Youssef", "Rania", "Tariq", "Salma", "Karim", "Huda",
        ],
        family: &[
            "Haddad", "Khalil", "Nasser", "Saleh", "Hussein", "Farah", "Aziz", "Mansour", "Hamdan",
            "Rahman", "Ibrahim", "Abdullah", "Khoury", "Darwish", "Qureshi", "Malik", "Hakim",
        ],
    },
    Origin {
        label: "african",
        weight: 4,
        given: &[
            "Chinedu",
            "Ngozi",
            "Oluwaseun",
            "Adaeze",
            "Kwame",
            "Ama",
            "Kofi",
            "Abena",
            "Tunde",
            "Folake",
            "Emeka",
            "Chiamaka",
            "Abebe",
            "Tigist",
            "Yaw",
            "Efua",
            "Babajide",
            "Amara",
        ],
        family: &[
            "Okafor", "Adeyemi", "Okonkwo", "Mensah", "Boateng", "Owusu", "Adebayo", "Eze",
            "Nwosu", "Balogun", "Asante", "Tesfaye", "Bekele", "Okoro", "Achebe", "Oyelaran",
            "Danso",
        ],
    },
    Origin {
        label: "east_european",
        weight: 5,
        given: &[
            "Dmitri",
            "Olga",
            "Alexei",
            "Natalia",
            "Ivan",
            "Svetlana",
            "Sergei",
            "Anastasia",
            "Pavel",
            "Katarzyna",
            "Piotr",
            "Agnieszka",
            "Andriy",
            "Oksana",
            "Tomasz",
            "Irina",
            "Mikhail",
            "Yulia",
        ],
        family: &[
            "Ivanov",
            "Petrova",
            "Smirnov",
            "Kowalski",
            "Nowak",
            "Wisniewski",
            "Shevchenko",
            "Kovalenko",
            "Bondarenko",
            "Popescu",
            "Horvath",
            "Novak",
            "Volkov",
            "Sokolova",
            "Kuznetsov",
            "Lewandowski",
            "Melnyk",
            "Dvorak",
        ],
    },
    Origin {
        label: "west_european",
        weight: 5,
        given: &[
            "Lukas", "Sophie", "Matteo", "Giulia", "Pierre", "Camille", "Hans", "Greta", "Luca",
            "Chiara", "Jan", "Anke", "Lars", "Ingrid", "Francois", "Amelie",
        ],
        family: &[
            "Muller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Rossi",
            "Russo",
            "Ferrari",
            "Esposito",
            "Bianchi",
            "Dubois",
            "Moreau",
            "Laurent",
            "Lefebvre",
            "Jansen",
            "de Vries",
            "Bakker",
            "Andersen",
            "Nielsen",
            "Larsson",
            "Johansson",
        ],
    },
    Origin {
        label: "japanese",
        weight: 2,
        given: &[
            "Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Takumi", "Mio",
            "Kenji", "Yuki", "Daiki", "Ayaka",
        ],
        family: &[
            "Sato",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Kobayashi",
            "Kato",
            "Yoshida",
            "Yamada",
            "Sasaki",
            "Matsumoto",
            "Inoue",
        ],
    },
    Origin {
        label: "persian",
        weight: 2,
        given: &[
            "Reza", "Shirin", "Parisa", "Dariush", "Niloufar", "Arash", "Leila", "Kourosh", "Mina",
            "Babak",
        ],
        family: &[
            "Hosseini", "Ahmadi", "Karimi", "Rostami", "Tehrani", "Moradi", "Jafari", "Rahimi",
            "Sadeghi",
        ],
    },
    Origin {
        label: "lusophone",
        weight: 3,
        given: &[
            "Joao",
            "Ana Clara",
            "Pedro",
            "Beatriz",
            "Rafael",
            "Larissa",
            "Thiago",
            "Fernanda",
            "Gustavo",
            "Leticia",
        ],
        family: &[
            "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Carvalho",
            "Ferreira", "Rocha",
        ],
    },
];

/// A drawn name: given name, family name and the origin index of the given name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Name {
    pub given: &'static str,
    pub family: &'static str,
    pub origin: u8,
}

fn pick_origin<R: Rng + ?Sized>(rng: &mut R) -> usize {
    let total: u32 = ORIGINS.iter().map(|o| o.weight).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, o) in ORIGINS.iter().enumerate() {
        if x < o.weight {
            return i;
        }
        x -= o.weight;
    }
    0
}

/// Draws a name. The same function is used for every person regardless of label.
pub(crate) fn draw<R: Rng + ?Sized>(rng: &mut R) -> Name {
    let o = pick_origin(rng);
    let given = ORIGINS[o].given[rng.random_range(0..ORIGINS[o].given.len())];
    // one person in ten carries a family name from another origin (marriage, adoption, ...)
    let fo = if rng.random::<f64>() < 0.10 {
        pick_origin(rng)
    } else {
        o
    };
    let family = ORIGINS[fo].family[rng.random_range(0..ORIGINS[fo].family.len())];
    Name {
        given,
        family,
        origin: o as u8,
    }
}

/// Lowercase ASCII letters and digits of a name part (for emails and logins).
pub(crate) fn slug(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_100_and_names_are_ascii() {
        assert_eq!(ORIGINS.iter().map(|o| o.weight).sum::<u32>(), 100);
        for o in ORIGINS {
            for n in o.given.iter().chain(o.family.iter()) {
                assert!(n.is_ascii(), "{n}");
                assert!(!n.contains(','), "{n}");
            }
        }
    }
}
