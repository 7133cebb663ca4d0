"""A generated population of seekers and arrivals for the duplicate benchmark (fixed seed).

Stored people have Cyrillic (ru/uk) or transliterated names, Ukrainian mobile numbers, some
e-mails and usernames, and an area; some share a family phone. Arrivals come in four kinds:
- "id": a stored person again with one identifier typed another way (phone format, e-mail
  case / dots / +tag, @Username) and a name variant (other script, swapped, typo, first name);
- "family": a new person on a stored person's phone, same surname, another first name;
- "fuzzy": a stored person again with no shared identifier: a name variant plus the same area,
  or a Polish number ending in the same digits;
- "fresh": somebody new;
- "mean": a stored person again with no shared identifier (a new phone or none), only a name
  and a place, with one to three of the errors people make, drawn independently (MEAN_ERRORS):
  a typo in the area, the given name left out or shortened (a diminutive from DIMINUTIVES, or
  an initial), given and family name swapped, a typo in the family name, the other script.
  DIMINUTIVES is written for the generator, separately from the table detection reads
  (domain/data/given_names.txt): some of its short forms are not in that table.
"""

import random
from dataclasses import dataclass

FEMALE = ["Мария", "Анна", "Ольга", "Елена", "Наталья", "Ирина", "Татьяна", "Светлана", "Юлия", "Екатерина", "Оксана", "Людмила", "Галина", "Дарья", "Анастасия", "Виктория", "Алина", "Марина", "Валентина", "Надежда", "Софія", "Олена", "Ірина", "Наталія", "Тетяна", "Ганна", "Катерина", "Вікторія", "Лариса", "Христина"]
MALE = ["Александр", "Алексей", "Андрей", "Сергей", "Дмитрий", "Иван", "Михаил", "Николай", "Владимир", "Олег", "Олександр", "Андрій", "Сергій", "Дмитро", "Іван", "Микола", "Володимир", "Петро", "Василь", "Юрій", "Богдан", "Тарас", "Максим", "Артем", "Євген", "Роман", "Павло", "Віталій", "Игорь", "Виктор"]
SYLLABLES = ["ко", "ва", "ле", "ни", "ро", "ма", "ше", "да", "ти", "бо", "гу", "ли", "се", "пе", "ра", "ло", "ми", "во", "на", "че"]
SUFFIXES = ("енко", "чук", "ов", "ич", "ський", "як")
CITIES = ["Kyiv", "Lviv", "Odesa", "Kharkiv", "Dnipro", "Zhytomyr", "Poltava", "Vinnytsia", "Chernihiv", "Sumy", "Rivne", "Lutsk", "Ternopil", "Uzhhorod", "Kherson", "Mykolaiv", "Cherkasy", "Krakow", "Warsaw", "Wroclaw", "Gdansk", "Poznan", "Lodz", "Lublin", "Katowice", "Berlin", "Prague", "Vilnius", "Riga", "Chisinau"]
DISTRICTS = ["Center", "North", "South", "East", "West", "Old-Town", "Riverside", "Park", "Station", "Hills"]
PROVIDERS = ("gmail.com", "gmail.com", "ukr.net", "i.ua", "outlook.com", "meta.ua")
#: The meaner mix: each error with its probability, drawn independently; an arrival gets one
#: to three (drawn again otherwise). "given" is left out with 0.15 and shortened with 0.15.
MEAN_ERRORS = (("area_typo", 0.3), ("given", 0.3), ("swap", 0.2), ("family_typo", 0.3),
               ("script", 0.3))
DIMINUTIVES = {
    "Мария": ["Маша", "Маня", "Маруся", "Машенька"], "Анна": ["Аня", "Анюта", "Нюра"],
    "Ольга": ["Оля", "Олечка", "Лёля"], "Елена": ["Лена", "Леночка", "Алёна"],
    "Наталья": ["Наташа", "Ната", "Натуля"], "Ирина": ["Ира", "Ириша", "Иришка"],
    "Татьяна": ["Таня", "Танюша", "Татуся"], "Светлана": ["Света", "Светик", "Лана"],
    "Юлия": ["Юля", "Юленька"], "Екатерина": ["Катя", "Катюша", "Катруся"],
    "Оксана": ["Ксюша", "Оксанка"], "Людмила": ["Люда", "Люся", "Мила"],
    "Галина": ["Галя", "Галочка"], "Дарья": ["Даша", "Дашенька"],
    "Анастасия": ["Настя", "Стася", "Ася"], "Виктория": ["Вика", "Тори"],
    "Алина": ["Аля", "Алинка"], "Марина": ["Маринка", "Мариша"], "Валентина": ["Валя", "Валюша"],
    "Надежда": ["Надя", "Надюша"], "Софія": ["Соня", "Софійка"], "Олена": ["Оленка", "Леся"],
    "Ірина": ["Іра", "Іринка"], "Наталія": ["Наталка", "Наташа"], "Тетяна": ["Таня", "Тетянка"],
    "Ганна": ["Ганя", "Ганнуся"], "Катерина": ["Катя", "Катруся"], "Вікторія": ["Віка", "Вікуся"],
    "Лариса": ["Лара", "Лора"], "Христина": ["Христя", "Христинка"],
    "Александр": ["Саша", "Шура", "Саня", "Алекс"], "Алексей": ["Лёша", "Алёша", "Лёха"],
    "Андрей": ["Андрюша", "Андрюха"], "Сергей": ["Серёжа", "Серый"], "Дмитрий": ["Дима", "Митя"],
    "Иван": ["Ваня", "Ванечка"], "Михаил": ["Миша", "Мишаня"], "Николай": ["Коля", "Колян"],
    "Владимир": ["Вова", "Володя", "Вовчик"], "Олег": ["Олежка", "Олежек"],
    "Олександр": ["Сашко", "Олесь", "Саша"], "Андрій": ["Андрійко", "Андрюша"],
    "Сергій": ["Сергійко", "Сергійчик"], "Дмитро": ["Дмитрик", "Митько"], "Іван": ["Іванко", "Івась"],
    "Микола": ["Миколка", "Коля"], "Володимир": ["Володя", "Вова"], "Петро": ["Петрик", "Петрусь"],
    "Василь": ["Васильок", "Вася"], "Юрій": ["Юра", "Юрко"], "Богдан": ["Богдась", "Бодя"],
    "Тарас": ["Тарасик"], "Максим": ["Макс", "Максимко"], "Артем": ["Тёма", "Артемко"],
    "Євген": ["Женя", "Євгенко"], "Роман": ["Рома", "Ромко"], "Павло": ["Павлик", "Павлусь"],
    "Віталій": ["Віталік", "Віталя"], "Игорь": ["Игорёк", "Гоша"], "Виктор": ["Витя", "Витёк"],
}
CYRILLIC_LETTERS = "абвгдеиклмнопрстуя"
LATIN_LETTERS = "abcdehiklmnoprstuvy"
# A transliteration the generator uses, deliberately not the one detection folds with.
PASSPORT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu", "я": "ya", "ё": "yo", "ы": "y",
    "э": "e", "ъ": "",
}


@dataclass
class Person:
    id: int
    name: str
    cyrillic: str
    phone: str | None
    email: str | None
    username: str | None
    area: str


@dataclass
class Arrival:
    kind: str
    truth: int | None  # the stored person this is, or None for a new person
    name: str
    phone: str | None  # as typed
    email: str | None
    username: str | None
    area: str


def translit(text: str) -> str:
    out = "".join(PASSPORT.get(c.lower(), c.lower()) for c in text)
    return " ".join(w.capitalize() for w in out.split())


class Generator:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.surnames = [a + b for a in SYLLABLES for b in SYLLABLES]
        self.areas = [f"{c} {d}" for c in CITIES for d in DISTRICTS]
        self.used_phones: set[str] = set()

    def phone(self) -> str:
        while True:
            number = "+380" + self.rnd.choice(["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]) + \
                f"{self.rnd.randrange(10**7):07d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def cyrillic_name(self, female: bool | None = None, surname_root: str | None = None) -> str:
        female = self.rnd.random() < 0.6 if female is None else female
        first = self.rnd.choice(FEMALE if female else MALE)
        root = surname_root or self.rnd.choice(self.surnames)
        suffix = self.rnd.choice(SUFFIXES)
        last = (root + suffix).capitalize()
        if female and suffix == "ов":
            last += "а"
        elif female and suffix == "ський":
            last = last[:-2] + "ка"
        return f"{first} {last}"

    def person(self, pid: int, cyrillic: str | None = None, phone: str | None = None) -> Person:
        rnd = self.rnd
        cyr = cyrillic or self.cyrillic_name()
        name = cyr if rnd.random() < 0.5 else translit(cyr)
        latin = translit(cyr).lower().split()
        email = None
        if rnd.random() < 0.4:
            email = f"{latin[0]}.{latin[-1]}{rnd.randrange(1000)}@{rnd.choice(PROVIDERS)}"
        username = f"{latin[0][:6]}_{latin[-1][:10]}{rnd.randrange(10000)}" \
            if rnd.random() < 0.3 else None
        return Person(pid, name, cyr, phone or (self.phone() if rnd.random() < 0.9 else None),
                      email, username, rnd.choice(self.areas))

    def population(self, n: int, family_share: float = 0.05) -> list[Person]:
        people: list[Person] = []
        for pid in range(1, n + 1):
            if people and self.rnd.random() < family_share:  # a relative on a stored phone
                relative = self.rnd.choice(people[-1000:])
                if relative.phone:
                    people.append(self.relative(pid, relative))
                    continue
            people.append(self.person(pid))
        return people

    def relative(self, pid: int, of: Person) -> Person:
        root = of.cyrillic.split()[1][:4].lower()
        for _ in range(20):
            cyr = self.cyrillic_name(surname_root=root)
            if cyr.split()[0] != of.cyrillic.split()[0]:
                break
        person = self.person(pid, cyrillic=cyr, phone=of.phone)
        person.area = of.area
        return person

    # --- variants of what people type ---------------------------------------------------
    def name_variant(self, p: Person, first_only: bool = True) -> str:
        rnd = self.rnd
        kinds = ["script", "swap", "typo", "same"] + (["first"] if first_only else [])
        kind = rnd.choice(kinds)
        base = translit(p.cyrillic) if p.name == p.cyrillic else p.cyrillic
        if kind == "same":
            return p.name
        if kind == "script":
            return base
        if kind == "swap":
            return " ".join(reversed(rnd.choice([p.name, base]).split()))
        if kind == "first":
            return rnd.choice([p.name, base]).split()[0]
        return self.typo(rnd.choice([p.name, base]))

    def typo(self, name: str) -> str:
        rnd = self.rnd
        words = name.split()
        i = rnd.randrange(len(words))
        w = words[i]
        j = rnd.randrange(1, len(w)) if len(w) > 1 else 0
        op = rnd.choice(("sub", "del", "swap", "ins"))
        if op == "sub":
            w = w[:j] + rnd.choice("aeiouнмтр") + w[j + 1:]
        elif op == "del":
            w = w[:j] + w[j + 1:]
        elif op == "swap" and j < len(w) - 1:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        else:
            w = w[:j] + rnd.choice("aeiou") + w[j:]
        words[i] = w
        return " ".join(words)

    def typo_word(self, word: str) -> str:
        """One letter substituted, left out, put in, or swapped with its neighbour, in the
        word's own script; never the first letter (people rarely get that wrong)."""
        rnd = self.rnd
        letters = CYRILLIC_LETTERS if any("а" <= c.lower() <= "я" or c in "іїєґІЇЄҐ" for c in word) \
            else LATIN_LETTERS
        j = rnd.randrange(1, len(word)) if len(word) > 1 else 0
        op = rnd.choice(("sub", "del", "swap", "ins"))
        if op == "swap" and j < len(word) - 1 and word[j] != word[j + 1]:
            return word[:j] + word[j + 1] + word[j] + word[j + 2:]
        if op == "del" and len(word) > 3:
            return word[:j] + word[j + 1:]
        if op == "ins":
            return word[:j] + rnd.choice(letters) + word[j:]
        return word[:j] + rnd.choice([c for c in letters if c != word[j].lower()]) + word[j + 1:]

    def area_typo(self, area: str) -> str:
        """Anywhere but the first letter: a space or hyphen can be hit too."""
        return self.typo_word(area)

    def mean_errors(self) -> set[str]:
        while True:
            errors = {e for e, p in MEAN_ERRORS if self.rnd.random() < p}
            if 1 <= len(errors) <= 3:
                return errors

    def mean_name(self, p: Person, errors: set[str]) -> tuple[str, str]:
        """The name as typed with the errors given, and how the given name was shortened."""
        rnd = self.rnd
        given, family = p.cyrillic.split()
        how = ""
        if "given" in errors:
            how = rnd.choices(("missing", "diminutive", "initial"), (0.5, 0.4, 0.1))[0]
            given = {"missing": "", "initial": given[0] + ".",
                     "diminutive": rnd.choice(DIMINUTIVES.get(given, [given[:4]]))}[how]
        latin = p.name != p.cyrillic
        if "script" in errors:
            latin = not latin
        if latin:
            given, family = translit(given) if given else "", translit(family)
        if "family_typo" in errors:
            family = self.typo_word(family)
        words = [w for w in (given, family) if w]
        if "swap" in errors:
            words.reverse()
        return " ".join(words), how

    def phone_typed(self, e164: str) -> str:
        local = "0" + e164[4:]
        return self.rnd.choice([
            e164, f"+380 {e164[4:6]} {e164[6:9]} {e164[9:11]} {e164[11:]}",
            f"+380 ({e164[4:6]}) {e164[6:9]}-{e164[9:11]}-{e164[11:]}", e164[1:],
            local, f"{local[:3]}-{local[3:6]}-{local[6:]}",
        ])

    def email_typed(self, email: str) -> str:
        local, domain = email.split("@")
        rnd = self.rnd
        if domain == "gmail.com":
            local = local.replace(".", "") if rnd.random() < 0.5 else local
            if rnd.random() < 0.5:
                local += "+" + rnd.choice(("ads", "fb", "site"))
        if domain == "outlook.com" and rnd.random() < 0.5:
            local += "+news"
        typed = f"{local}@{domain}"
        return typed.upper() if rnd.random() < 0.3 else typed.capitalize()

    def arrival(self, kind: str, people: list[Person]) -> Arrival:
        rnd = self.rnd
        if kind == "fresh":
            p = self.person(0)
            return Arrival(kind, None, p.name, p.phone, p.email, p.username, p.area)
        while True:
            p = rnd.choice(people)
            if kind != "id" or p.phone or p.email or p.username:
                break
        if kind == "family" and p.phone:
            rel = self.relative(0, p)
            return Arrival(kind, None, rel.name, self.phone_typed(p.phone), None, None, p.area)
        if kind == "family":
            return self.arrival(kind, people)
        if kind == "mean":
            errors = self.mean_errors()
            name, _ = self.mean_name(p, errors)
            area = self.area_typo(p.area) if "area_typo" in errors else p.area
            return Arrival(kind, p.id, name, self.phone() if rnd.random() < 0.7 else None, None,
                           None, area)
        if kind == "id":
            ids = [k for k in ("phone", "email", "username") if getattr(p, k)]
            which = rnd.choice(ids)
            return Arrival(
                kind, p.id, self.name_variant(p),
                self.phone_typed(p.phone) if which == "phone" else None,
                self.email_typed(p.email) if which == "email" and p.email else None,
                rnd.choice(("@", "https://t.me/", "@")) + (p.username or "").capitalize()
                if which == "username" else None,
                p.area if rnd.random() < 0.5 else rnd.choice(self.areas))
        # fuzzy: the same person, no identifier in common
        if rnd.random() < 0.7 or not p.phone:
            return Arrival(kind, p.id, self.name_variant(p, first_only=False), self.phone(), None,
                           None, p.area)
        polish = "+48" + rnd.choice(["50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"])[:1] + \
            p.phone[-8:]
        return Arrival(kind, p.id, self.name_variant(p, first_only=False), polish, None, None,
                       rnd.choice(self.areas))
