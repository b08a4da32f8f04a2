"""Small in-code word lists for the fictional state of Riverland.

Every name the demo writes is built from these lists, so nothing in the demo names a real
person. Given and family names are common words and first names combined at random;
counties take tree names, chapters take neighborhood names.
"""

from __future__ import annotations

STATE_NAME = "Riverland"
STATE_CODE = "rl"
STATE_OCD_ID = f"ocd-division/country:us/state:{STATE_CODE}"
CITY_NAME = "Riverton"
CITY_OCD_ID = f"{STATE_OCD_ID}/place:riverton"

GIVEN_NAMES: tuple[str, ...] = (
    "Abel", "Ada", "Adrian", "Aisha", "Alma", "Amara", "Anders", "Anika", "Ari", "Aurelio",
    "Bea", "Benedict", "Bianca", "Bo", "Bram", "Calla", "Camille", "Cato", "Celia", "Cyrus",
    "Dalia", "Dario", "Delphine", "Desmond", "Dina", "Eamon", "Edda", "Elio", "Elsa", "Emeka",
    "Esme", "Ettore", "Fatima", "Federico", "Fen", "Flora", "Gideon", "Greta", "Gus", "Halima",
    "Hamid", "Hana", "Idris", "Ilse", "Imani", "Ines", "Ivo", "Jada", "Joaquin", "Juno",
    "Kai", "Kamala", "Kasper", "Keiko", "Kwame", "Lale", "Lazaro", "Leila", "Lino", "Lorna",
    "Luca", "Mae", "Malik", "Marisol", "Mateo", "Mina", "Moses", "Nadia", "Nell", "Nico",
    "Noor", "Obi", "Odette", "Orla", "Osman", "Paloma", "Pavel", "Priya", "Quinn", "Rafa",
    "Rana", "Remy", "Rhea", "Rosalind", "Ruben", "Sabine", "Salma", "Santos", "Selma", "Silas",
    "Soraya", "Tam", "Tariq", "Tess", "Teo", "Thea", "Tomas", "Uma", "Valentin", "Vera",
    "Wes", "Wren", "Xiomara", "Yara", "Yusuf", "Zadie", "Zev", "Zora",
)

FAMILY_NAMES: tuple[str, ...] = (
    "Abernathy", "Acosta", "Adeyemi", "Alder", "Amsel", "Arbogast", "Ashgrove", "Baptiste",
    "Barrow", "Beaumont", "Birchfield", "Blackwater", "Bramley", "Brightwell", "Calloway",
    "Castellan", "Cinder", "Coldbrook", "Corvino", "Crane", "Dahl", "Delacroix", "Demir",
    "Dunmore", "Eastwick", "Elbaz", "Fairweather", "Falk", "Fenwick", "Fiorelli", "Foxhall",
    "Galloway", "Garnier", "Glenwood", "Goldmark", "Greaves", "Hallorann", "Hartigan",
    "Haverford", "Hollis", "Ibarra", "Ingram", "Ivers", "Jaramillo", "Kettering", "Kilbride",
    "Kowal", "Lachance", "Larkspur", "Lindqvist", "Lowell", "Madrigal", "Marchetti",
    "Merriweather", "Millbank", "Mossberg", "Nakagawa", "Northcott", "Nwosu", "Oakhurst",
    "Okafor", "Ollander", "Pemberton", "Penhallow", "Quarles", "Quintero", "Ravensworth",
    "Redfern", "Rivas", "Rookwood", "Saltonstall", "Sandoval", "Sauer", "Sedgwick",
    "Stonebridge", "Szabo", "Tallis", "Thornbury", "Torvik", "Underhill", "Valdivia",
    "Vanterpool", "Wainwright", "Waverly", "Whitlock", "Wexford", "Yarrow", "Ybarra", "Zeller",
)

# County codes (lower case, used in Open Civic Data ids) and their display names.
COUNTIES: tuple[str, ...] = (
    "ash", "birch", "cedar", "dogwood", "elm", "fir", "ginkgo", "hazel", "ironwood",
    "juniper", "kapok", "larch", "maple", "nutmeg", "oak", "pine", "quince", "rowan",
    "spruce", "tamarack", "upas", "viburnum", "walnut", "yew", "alder", "beech", "cypress",
    "douglas", "eucalyptus", "fig", "gum", "hemlock", "holly", "laurel", "linden", "magnolia",
    "mulberry", "olive", "palm", "poplar", "redbud", "sassafras", "sumac", "sycamore",
    "teak", "tupelo", "willow", "yucca",
)

# Neighborhoods of Riverland that host chapters of the Riverland Federation.
CHAPTERS: tuple[str, ...] = (
    "Northside", "Eastbank", "Southgate", "Millbrook", "Lakeview", "Old Quarry", "Ferry Landing",
    "Hillcrest", "Cannery Row", "Riverbend", "Stone Mill", "Harbor Flats", "Orchard Park",
    "Bellwether", "Foundry", "Greenway", "Junction", "Marsh End", "Pine Hollow", "Tanner Hill",
    "Upper Weir", "Vine Street", "Westmoor", "Copper Falls", "Drover's Ford", "Elm Terrace",
)

# Further organizations a larger demo adds, by kind and overall spectrum position.
EXTRA_PARTNERS: tuple[tuple[str, str, int], ...] = (
    ("Riverland Youth Vote", "advocacy", 3),
    ("Riverton Teachers Association", "union", 2),
    ("Nurses United of Riverland", "union", 2),
    ("Riverland Immigrant Alliance", "advocacy", 3),
    ("Disability Justice Riverland", "advocacy", 2),
    ("Riverland Transit Riders", "advocacy", 2),
    ("Building Trades Council of Riverland", "union", 1),
    ("Riverland Food Workers", "union", 2),
    ("Riverland Home Care Workers", "union", 3),
    ("Eastbank Community Land Trust", "advocacy", 2),
)
EXTRA_CONGREGATIONS: tuple[str, ...] = (
    "Grace Temple", "Mount Zion Fellowship", "Beth Shalom of Riverton", "St. Brigid Parish",
    "Riverside Masjid", "First Unitarian of Riverton", "Iglesia La Esperanza",
    "Holy Redeemer", "Quaker Meeting of Ash County", "New Hope Baptist",
    "Temple Emanu-River", "Sacred Heart of Millbrook",
)
EXTRA_NEUTRALS: tuple[tuple[str, str, int], ...] = (
    ("Riverland Chamber of Commerce", "business", -1),
    ("Riverton Ledger", "media", 0),
    ("Riverland Farm Bureau", "business", -1),
    ("Riverland League of Voters", "advocacy", 0),
    ("Riverton Neighborhood Councils", "other", 0),
    ("Riverland County Commissioners Association", "office", 0),
    ("Riverland Realtors Association", "business", -2),
    ("Taxpayers for Riverland", "political", -3),
    ("Riverland Police Benevolent Association", "union", -2),
    ("Riverland Hotel and Lodging Association", "business", -2),
)

ISSUES: tuple[tuple[str, str, str], ...] = (
    ("tenant-protections", "Tenant protections",
     "Just-cause eviction, a rent stabilization board and a right to counsel for tenants."),
    ("police-budget", "Police budget",
     "Moving part of the police budget to crisis response and youth programs."),
    ("living-wage", "Living wage",
     "A citywide minimum wage for hotel, airport and food service workers."),
    ("climate-jobs", "Climate jobs",
     "Union jobs retrofitting public buildings and expanding transit."),
    ("public-transit", "Public transit",
     "Fare-free buses and more frequent service in working-class neighborhoods."),
    ("immigrant-rights", "Immigrant rights",
     "Keeping the city out of federal immigration enforcement."),
)
