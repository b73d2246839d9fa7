"""The speakers of an article: entities with their aliases, and the rules that merge mentions.

Input: :class:`~presse.quotes.mentions.Mention` objects. :meth:`Registry.peek` says which entity
a mention would join without changing anything (the sieves use it to propose); only
:meth:`Registry.add`, called by the runner when it commits to an attribution or records a
subject, changes the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from presse.quotes.mentions import Mention, lower_determiner
from presse.quotes.text import PARTICLES


@dataclass
class Entity:
    """One speaker or person across the article (aliases merged)."""

    key: str
    kind: str
    names: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    head_lemmas: set = field(default_factory=set)
    modifiers: set = field(default_factory=set)
    gender: str | None = None
    number: str | None = None
    surfaces: set = field(default_factory=set)
    proper: str = ""

    @property
    def canonical(self) -> str:
        if self.kind == "person":  # the fullest proper name ("Barack Obama", not "président
            # Obama": a lower-case word is a title or a role, not part of the name)
            return max(
                self.names,
                key=lambda n: (
                    all(w[:1].isupper() or w.lower() in PARTICLES for w in n.split()),
                    len(n.split()),
                    len(n),
                ),
            )
        if self.proper:
            return lower_determiner(self.proper)
        with_names = [n for n in self.names if any(w[:1].isupper() for w in n.split()[1:])]
        pool = with_names or self.names
        return lower_determiner(min(pool, key=len) if with_names else pool[0])


def same_first_name(a: str, b: str) -> bool:
    """``barack`` = ``b.``, ``jean-marc`` = ``j-m``: equal, or one written as initials."""

    def initials(name: str) -> str:
        return "".join(part[:1] for part in re.split(r"[-.]", name) if part)

    def is_initials(name: str) -> bool:
        return all(len(part) <= 1 for part in re.split(r"[-.]", name) if part)

    if a == b:
        return True
    if is_initials(a) or is_initials(b):
        return initials(a) == initials(b)
    return False


class Registry:
    """Entities seen so far, with the merging rules for aliases and descriptions.

    Lookups go through two indexes (people by surname, entities by head noun) ordered by
    recency, so that their cost does not grow with the number of entities in a long article.
    """

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.recency: dict[str, int] = {}  # key -> when it was last touched (higher: later)
        self.clock = 0
        self.by_surname: dict[str, list[str]] = {}
        self.by_head: dict[str, list[str]] = {}

    def _touch(self, key: str) -> None:
        self.clock += 1
        self.recency[key] = self.clock

    def _recent_first(self, keys: list[str]) -> list[str]:
        return sorted(keys, key=lambda k: -self.recency.get(k, 0))

    def person_key(self, name: str, gender: str | None = None) -> str:
        """The key of the person a name refers to. People are merged by surname (``M. Morel`` is
        ``Julien Morel``), except that a full name whose first name differs from every person of
        that surname is someone else (``Fatoumata Maïga`` is not ``Oumar Maïga``); a surname
        alone goes to the most recent person of that surname and of a compatible gender
        (``M. Martin`` after ``Claire Martin`` and ``Paul Martin`` is Paul)."""
        words = name.split()
        surname = words[-1].lower()
        given = words[0].lower() if len(words) > 1 and words[0][:1].isupper() else ""
        namesakes = self._recent_first(self.by_surname.get(surname, []))
        if not given or not namesakes:
            fitting = [
                k for k in namesakes if gender is None or self.entities[k].gender in (None, gender)
            ]
            return (fitting or namesakes or [f"person:{surname}"])[0]
        for key in namesakes:
            givens = {n.split()[0].lower() for n in self.entities[key].names if len(n.split()) > 1}
            if not givens or any(same_first_name(given, g) for g in givens):
                return key
        return f"person:{surname}:{given}"

    def peek(self, mention: Mention) -> tuple[str, str]:
        """The key ``mention`` would get and how it would be matched (``alias``,
        ``description``, or ``new``), without changing the registry."""
        if mention.kind == "person":
            key = self.person_key(mention.name, mention.gender)
            return key, "alias" if key in self.entities else "new"
        if mention.proper:
            person = self.person_named(mention.proper)
            if person is not None:  # "May" after "Theresa May", "Le Maire" after "Bruno Le Maire"
                return person, "alias"
            key = f"name:{mention.proper.split()[-1].lower()}"
            return key, "alias" if key in self.entities else "new"
        key = self._match_description(mention)
        if key:
            return key, "description"
        return f"{mention.kind}:{mention.head_lemma}:{len(self.entities)}", "new"

    def person_named(self, proper: str) -> str | None:
        """The most recent person whose name ends with ``proper`` (a surname the tagger did not
        read as a person: ``May``, ``Le Maire``), or None."""
        words = proper.split()
        if not words or len(words) > 3 or not all(w[:1].isupper() or w in PARTICLES for w in words):
            return None
        surname = words[-1].lower()
        for key in self._recent_first(self.by_surname.get(surname, [])):
            if any(
                n.split()[-len(words) :] == words and len(n.split()) > len(words)
                for n in self.entities[key].names
            ):
                return key
        return None

    def add(self, mention: Mention) -> tuple[Entity, str]:
        """Commit ``mention``: return the entity it refers to (created if new) and how it was
        matched (``""`` for a new entity)."""
        key, match = self.peek(mention)
        how = {
            "alias": "alias of a name seen before",
            "description": f"'{mention.text}' → the {self.entities[key].kind} last described so"
            if match == "description"
            else "",
            "new": "",
        }[match]
        entity = self.entities.setdefault(key, Entity(key=key, kind=mention.kind))
        if entity.kind == "person" and mention.kind != "person":
            pass  # a description resolved to a person: keep the person's name
        elif mention.name not in entity.names:
            entity.names.append(mention.name)
        if len(mention.text.split()) <= 3:
            entity.surfaces.add(lower_determiner(mention.text))
        if mention.role and mention.role not in entity.roles:
            entity.roles.append(mention.role)
        if mention.head_lemma not in entity.head_lemmas:
            entity.head_lemmas.add(mention.head_lemma)
            self.by_head.setdefault(mention.head_lemma, []).append(key)
        if key.startswith("person:"):
            surname = key.split(":")[1]
            if key not in self.by_surname.get(surname, []):
                self.by_surname.setdefault(surname, []).append(key)
        entity.modifiers |= set(mention.modifiers)
        entity.proper = entity.proper or mention.proper
        entity.gender = entity.gender or mention.gender
        entity.number = entity.number or mention.number
        self._touch(key)
        return entity, how

    def _match_description(self, mention: Mention) -> str | None:
        """A group or a definite description refers back to an entity described the same way."""
        for key in self._recent_first(self.by_head.get(mention.head_lemma, [])):
            entity = self.entities[key]
            if entity.kind == "person" and mention.number == "Sing":
                return key  # "le ministre" -> the minister named before
            if entity.kind == mention.kind and (
                mention.modifiers <= entity.modifiers or entity.modifiers <= mention.modifiers
            ):
                return key
        return None
