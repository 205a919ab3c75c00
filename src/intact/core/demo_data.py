"""Fictional data for ``intact demo``: two organisations, their units, positions and names.

Everything here is invented; any likeness to real people is coincidence. The
one real entry is the Huis voor Klokkenluiders (the Dutch Whistleblowers
Authority), a public body whose website every organisation must point to.
"""

from __future__ import annotations

FIRST_NAMES = [
    "Anouk", "Bram", "Charlotte", "Daan", "Eva", "Floris", "Gerda", "Hans", "Iris", "Jeroen",
    "Karin", "Lars", "Marieke", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sander", "Tineke",
    "Ugur", "Vera", "Willem", "Xander", "Yvonne", "Zeynep", "Ahmed", "Bas", "Chantal", "Dirk",
    "Esther", "Fatima", "Gijs", "Hanneke", "Ilse", "Joost", "Kees", "Linda", "Mohamed", "Nadia",
    "Otto", "Petra", "Rik", "Saskia", "Thijs", "Ingrid", "Wouter", "Yasmina", "Annemarie", "Koen",
    "Lotte", "Martijn", "Noor", "Priya", "Ruben", "Sanne", "Tom", "Wendy", "Youssef", "Jolanda",
]
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs",
    "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn",
    "de Jong", "Schouten", "van Beek", "Willems", "van Dijk", "Hoekstra", "Koster", "Prins",
    "Postma", "Kuipers", "Veenstra", "Kramer", "van der Heijden", "Yilmaz", "El Amrani",
    "Bouzid", "Ramdin", "Nguyen", "Tjon A Fong", "Kartosen", "Öztürk", "Boukhari", "Wijnands",
]
# Staff recruited locally by the NGO's country offices.
COUNTRY_NAMES = {
    "Landenkantoor Kenia": (
        ["Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Mwangi", "Akinyi", "Kiprop"],
        ["Odhiambo", "Mutua", "Kariuki", "Wekesa", "Chebet", "Njoroge", "Omondi", "Wambui"],
    ),
    "Landenkantoor Oeganda": (
        ["Nakato", "Okello", "Apio", "Ssemwogerere", "Namubiru", "Mugisha", "Atim", "Kato"],
        ["Nansubuga", "Byaruhanga", "Okot", "Tumusiime", "Nakimuli", "Ochieng", "Kyomuhendo", "Lubega"],
    ),
    "Landenkantoor Bangladesh": (
        ["Farhana", "Rahim", "Nusrat", "Tanvir", "Sharmin", "Arif", "Rumana", "Imran"],
        ["Hossain", "Akter", "Rahman", "Chowdhury", "Islam", "Begum", "Sarkar", "Uddin"],
    ),
    "Landenkantoor Colombia": (
        ["Valentina", "Andrés", "Camila", "Santiago", "Daniela", "Julián", "Mariana", "Felipe"],
        ["García", "Rodríguez", "Martínez", "López", "Gómez", "Hernández", "Díaz", "Moreno"],
    ),
}

HUIS_VOOR_KLOKKENLUIDERS = {
    "kind": "external_body",
    "name": "Huis voor Klokkenluiders",
    "description": (
        "Onafhankelijk bestuursorgaan voor advies aan (potentiële) melders van een vermoeden "
        "van een misstand en voor onderzoek naar misstanden en benadeling van melders."
    ),
    "website": "https://www.huisvoorklokkenluiders.nl",
    "is_external": True,
    "order": 90,
}

# Units: (name, code, is_central, parent name or None, [(position, scale range, vulnerable)])
PROVINCIE = {
    "slug": "demo-provincie",
    "name": "Provincie Demoland",
    "kind": "government",
    "sector": "provincie",
    "website": "https://www.demoland.example",
    "people": 200,
    "contracts": (("employee", 88), ("external", 12)),
    "units": [
        ("Directie en Bestuursondersteuning", "DIR", True, None, [
            ("Provinciesecretaris", (16, 16), False),
            ("Bestuursadviseur", (11, 13), False),
            ("Managementassistent", (7, 8), False),
        ]),
        ("Concernstaf", "CS", True, None, [
            ("Integriteitscoördinator", (11, 12), False),
            ("Concerncontroller", (12, 13), False),
            ("Beleidsadviseur", (10, 12), False),
        ]),
        ("Financiën", "FIN", True, "Concernstaf", [
            ("Financieel adviseur", (10, 11), True),
            ("Medewerker crediteurenadministratie", (6, 7), True),
            ("Inkoper", (9, 11), True),
        ]),
        ("HRM", "HRM", True, "Concernstaf", [
            ("HR-adviseur", (10, 11), False),
            ("Medewerker salarisadministratie", (6, 8), True),
        ]),
        ("Informatievoorziening", "IV", True, "Concernstaf", [
            ("Informatiebeveiliger", (11, 12), True),
            ("Applicatiebeheerder", (8, 10), True),
            ("Privacy officer", (11, 12), False),
        ]),
        ("Domein Mobiliteit", "MOB", False, None, [
            ("Domeinmanager", (14, 15), False),
            ("Beleidsmedewerker verkeer", (9, 11), False),
        ]),
        ("Wegen en Vaarwegen", "WV", False, "Domein Mobiliteit", [
            ("Projectleider infrastructuur", (11, 12), True),
            ("Wegbeheerder", (8, 9), False),
            ("Medewerker onderhoud", (4, 6), False),
            ("Brugwachter", (5, 6), False),
        ]),
        ("Openbaar Vervoer", "OV", False, "Domein Mobiliteit", [
            ("Concessiemanager", (12, 13), True),
            ("Adviseur openbaar vervoer", (10, 11), False),
        ]),
        ("Domein Ruimte en Water", "RW", False, None, [
            ("Domeinmanager", (14, 15), False),
            ("Beleidsmedewerker ruimtelijke ordening", (10, 11), False),
        ]),
        ("Vergunningverlening", "VERG", False, "Domein Ruimte en Water", [
            ("Vergunningverlener", (9, 10), True),
            ("Juridisch medewerker", (8, 10), False),
        ]),
        ("Toezicht en Handhaving", "TH", False, "Domein Ruimte en Water", [
            ("Toezichthouder", (8, 10), True),
            ("Handhavingsjurist", (10, 11), True),
        ]),
        ("Domein Economie en Samenleving", "ES", False, None, [
            ("Domeinmanager", (14, 15), False),
            ("Subsidieadviseur", (9, 11), True),
            ("Accountmanager bedrijven", (10, 11), False),
            ("Adviseur cultuur en erfgoed", (9, 11), False),
        ]),
    ],
    # Which demo login stands for which position (and unit scope for the manager).
    "logins": {
        "coordinator": ("Concernstaf", "Integriteitscoördinator", None),
        "competent_authority": ("Directie en Bestuursondersteuning", "Provinciesecretaris", None),
        "manager": ("Domein Mobiliteit", "Domeinmanager", "Domein Mobiliteit"),
        "counsellor": ("HRM", "HR-adviseur", None),
        "investigator": ("Concernstaf", "Beleidsadviseur", None),
        "auditor": ("Concernstaf", "Concerncontroller", None),
        "technical_admin": ("Informatievoorziening", "Applicatiebeheerder", None),
        "employee": ("Wegen en Vaarwegen", "Wegbeheerder", None),
    },
    "organs": [
        {"kind": "counsellor", "name": "Vertrouwenspersoon integriteit", "person_login": "counsellor",
         "email": "vertrouwenspersoon@demoland.example", "phone": "040 123 45 01", "order": 10,
         "description": "Voor een vertrouwelijk gesprek over integriteit, ongewenst gedrag of een vermoeden van een misstand."},
        {"kind": "counsellor", "name": "Externe vertrouwenspersoon", "is_external": True,
         "email": "evp@vertrouwenspunt-demo.example", "phone": "040 123 45 99", "order": 11,
         "description": "Extern bureau, voor wie liever met iemand van buiten de organisatie praat."},
        {"kind": "coordinator", "name": "Integriteitscoördinator", "person_login": "coordinator",
         "email": "integriteit@demoland.example", "phone": "040 123 45 02", "order": 20,
         "description": "Ontvangt meldingen, coördineert het integriteitsbeleid en de jaarlijkse verantwoording."},
        {"kind": "reporting_point", "name": "Meldpunt integriteit", "order": 30,
         "email": "meldpunt@demoland.example",
         "description": "Melden kan ook via het meldformulier, anoniem als u dat wilt."},
        {"kind": "complaints_committee", "name": "Klachtencommissie ongewenst gedrag", "order": 40,
         "email": "klachtencommissie@demoland.example",
         "description": "Behandelt klachten over ongewenst gedrag en adviseert het bevoegd gezag."},
    ],
}

NGO = {
    "slug": "demo-ngo",
    "name": "Stichting Demo Ontwikkeling",
    "kind": "ngo",
    "sector": "ontwikkelingssamenwerking",
    "website": "https://www.demo-ontwikkeling.example",
    "people": 90,
    "contracts": (("employee", 60), ("volunteer", 30), ("external", 10)),
    "units": [
        ("Hoofdkantoor Den Haag", "HQ", True, None, [
            ("Algemeen directeur", (15, 15), False),
            ("Integrity & safeguarding officer", (11, 11), False),
            ("Office manager", (7, 8), False),
        ]),
        ("Programma's", "PRG", True, "Hoofdkantoor Den Haag", [
            ("Programmamanager", (11, 12), False),
            ("Programme officer", (9, 10), True),
            ("Monitoring & evaluation officer", (9, 10), False),
        ]),
        ("Fondsenwerving en Communicatie", "FWC", True, "Hoofdkantoor Den Haag", [
            ("Fondsenwerver", (8, 10), False),
            ("Communicatieadviseur", (9, 10), False),
            ("Vrijwilligerscoördinator", (8, 9), False),
        ]),
        ("Bedrijfsvoering", "BV", True, "Hoofdkantoor Den Haag", [
            ("Controller", (11, 12), True),
            ("Financieel medewerker", (7, 8), True),
            ("HR-adviseur", (9, 10), False),
            ("ICT-beheerder", (8, 9), True),
        ]),
        ("Landenkantoor Kenia", "KE", False, None, [
            ("Country director", (13, 13), False),
            ("Field coordinator", (8, 10), True),
            ("Procurement officer", (8, 9), True),
            ("Community worker", (5, 7), False),
        ]),
        ("Landenkantoor Oeganda", "UG", False, None, [
            ("Country director", (13, 13), False),
            ("Field coordinator", (8, 10), True),
            ("Community worker", (5, 7), False),
        ]),
        ("Landenkantoor Bangladesh", "BD", False, None, [
            ("Country director", (13, 13), False),
            ("Finance officer", (8, 9), True),
            ("Community worker", (5, 7), False),
        ]),
        ("Landenkantoor Colombia", "CO", False, None, [
            ("Country director", (13, 13), False),
            ("Field coordinator", (8, 10), True),
            ("Community worker", (5, 7), False),
        ]),
    ],
    "logins": {
        "coordinator": ("Hoofdkantoor Den Haag", "Integrity & safeguarding officer", None),
        "competent_authority": ("Hoofdkantoor Den Haag", "Algemeen directeur", None),
        "manager": ("Landenkantoor Kenia", "Country director", "Landenkantoor Kenia"),
        "counsellor": ("Bedrijfsvoering", "HR-adviseur", None),
        "investigator": ("Programma's", "Monitoring & evaluation officer", None),
        "auditor": ("Bedrijfsvoering", "Controller", None),
        "technical_admin": ("Bedrijfsvoering", "ICT-beheerder", None),
        "employee": ("Programma's", "Programme officer", None),
    },
    "organs": [
        {"kind": "counsellor", "name": "Vertrouwenspersoon", "person_login": "counsellor",
         "email": "vertrouwenspersoon@demo-ontwikkeling.example", "phone": "070 555 01 10", "order": 10,
         "description": "Voor medewerkers en vrijwilligers, in Nederland en op de landenkantoren."},
        {"kind": "coordinator", "name": "Integrity & safeguarding officer", "person_login": "coordinator",
         "email": "integrity@demo-ontwikkeling.example", "order": 20,
         "description": "Ontvangt meldingen van medewerkers, vrijwilligers, partners en begunstigden."},
        {"kind": "reporting_point", "name": "Meldpunt voor begunstigden en partners", "order": 30,
         "email": "speakup@demo-ontwikkeling.example",
         "description": "In het Nederlands, Engels, Swahili, Bengaals en Spaans; anoniem melden kan."},
        {"kind": "complaints_committee", "name": "Klachtencommissie", "order": 40,
         "email": "klachtencommissie@demo-ontwikkeling.example",
         "description": "Onafhankelijke commissie voor klachten over grensoverschrijdend gedrag."},
    ],
}

ORGANISATIONS = [PROVINCIE, NGO]
