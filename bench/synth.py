"""A synthetic corpus for store-scale benchmarks: extraction records generated directly, no text analysis.

    .venv/bin/python bench/synth.py 1000 > synth.jsonl      # N records as JSON Lines (EVAL.md shape + extras)

The corpus looks like many city dailies over 2015–2025: each city has a party committee, a government and
its bureaus, about thirty officials in posts (holders change every few years, deputies get promoted), and
reporters. Articles report one to three events (the type mix of the real corpus: meetings, inspections,
study sessions…) with the city's officials in their roles and titles, the organizing body, a place,
sometimes a target and a goal. A few national figures appear now and then (a directive, an inspection).
The number of cities grows with the corpus (one city per ~250 articles), as when more papers are read,
so a local official's record stays the size it is in a real paper while the graph grows.

Names are drawn like real ones (surnames by their frequency in China, one or two given-name characters),
so namesakes occur across cities and resolve by the place of their posts. Everything is fictional and
deterministic: article k of a corpus depends only on (seed, k, corpus size).

The text of each article is written from the same facts, so every span points at what it names.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.records import Event, Goal, Mention, OrgRole, Participant, PostRef, Record

ARTICLES_PER_CITY = 250
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 31)

# surnames with rough weights (per mille of the population, the most frequent ones)
SURNAMES = (
    ("王", 72), ("李", 72), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 19), ("周", 18), ("徐", 13), ("孙", 12), ("马", 12), ("朱", 11), ("胡", 10), ("郭", 10),
    ("何", 9), ("高", 9), ("林", 9), ("罗", 8), ("郑", 8), ("梁", 7), ("谢", 6), ("宋", 5), ("唐", 5),
    ("许", 5), ("韩", 5), ("冯", 5), ("邓", 5), ("曹", 5), ("彭", 4), ("曾", 4), ("肖", 4), ("田", 4),
    ("董", 4), ("袁", 4), ("潘", 3), ("于", 3), ("蒋", 3), ("蔡", 3), ("余", 3), ("杜", 3), ("叶", 3),
    ("程", 3), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3), ("任", 2), ("沈", 2), ("姚", 2), ("卢", 2),
    ("章", 1), ("欧阳", 1), ("司马", 0.2),
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华建国志红海鹏飞亮辉玲晓东文斌宇浩凯峰旭升春梅林波宁"
PLACE_CHARS = "南溪青川安平江宁永康丰华新长兴福泰临远清河东阳西岭云岗湖桥山源石宜昌德化嘉定"

# (title as written before a name, organization, rank, weight in events)
POSTS = (
    ("市委书记", "市委", "书记", 10), ("市长", "市政府", "市长", 9), ("市委副书记", "市委", "副书记", 4),
    ("常务副市长", "市政府", "常务副市长", 4), ("副市长", "市政府", "副市长", 3),
    ("副市长", "市政府", "副市长", 3), ("副市长", "市政府", "副市长", 3),
    ("市委常委、组织部部长", "市委组织部", "部长", 2), ("市委常委、宣传部部长", "市委宣传部", "部长", 2),
    ("市委常委、政法委书记", "市委政法委", "书记", 2), ("市委常委、秘书长", "市委", "秘书长", 2),
    ("市纪委书记", "市纪委", "书记", 2), ("市人大常委会主任", "市人大常委会", "主任", 3),
    ("市政协主席", "市政协", "主席", 3), ("市教育局局长", "市教育局", "局长", 1),
    ("市财政局局长", "市财政局", "局长", 1), ("市公安局局长", "市公安局", "局长", 1),
    ("市发展和改革委员会主任", "市发展和改革委员会", "主任", 1), ("市卫生健康局局长", "市卫生健康局", "局长", 1),
    ("市生态环境局局长", "市生态环境局", "局长", 1), ("市交通运输局局长", "市交通运输局", "局长", 1),
    ("市农业农村局局长", "市农业农村局", "局长", 1), ("市商务局局长", "市商务局", "局长", 1),
)
# event type: (weight, trigger, label pattern, role of the first participant, role of the others)
EVENT_TYPES = {
    "meeting": (30, "召开", "{org}召开{topic}工作会议", "host", "attendee"),
    "inspection": (20, "调研", "{person}到{place}调研{topic}工作", "inspector", "participant"),
    "study_session": (10, "集体学习", "{org}理论学习中心组举行集体学习", "host", "attendee"),
    "training": (6, "开班", "{topic}专题培训班开班", "speaker", "attendee"),
    "ceremony": (8, "启动仪式", "{topic}行动启动仪式举行", "speaker", "attendee"),
    "forum": (6, "论坛", "{place}{topic}发展论坛举办", "speaker", "guest"),
    "signing": (5, "签约", "{topic}项目集中签约", "attendee", "attendee"),
    "diplomatic": (2, "会见", "{person}会见客商代表团", "participant", "guest"),
    "appointment": (3, "任命", "{org}任免工作人员", "participant", "participant"),
    "directive": (3, "作出批示", "{person}就{topic}工作作出批示", "participant", "participant"),
    "release": (4, "印发", "{org}印发{topic}实施方案", "participant", "participant"),
    "incident": (3, "事故", "{place}发生一起交通事故", "inspector", "inspector"),
}
TOPICS = ("安全生产", "乡村振兴", "营商环境", "生态环境保护", "数字化改造", "招商引资", "防汛防台", "文明城市创建",
          "教育", "医疗卫生", "交通建设", "民生实事", "党风廉政建设", "科技创新", "文旅融合", "疫情防控")
VENUES = ("经济开发区", "高新区", "工业园区", "人民医院", "第一中学", "火车站", "滨江新区", "现代农业园", "会展中心")


# --- the world: cities, their offices and who holds them when --------------------------------------
@dataclass
class Tenure:
    name: str
    start: dt.date
    end: dt.date


@dataclass
class Office:
    title: str  # as written before a name: 市委书记, 市委常委、宣传部部长, 副市长
    org: str  # 市委, 市政府, 市教育局…
    rank: str  # 书记, 部长, 副市长
    weight: float
    tenures: list[Tenure] = field(default_factory=list)

    def holder(self, day: dt.date) -> str:
        for t in self.tenures:
            if t.start <= day <= t.end:
                return t.name
        return self.tenures[-1].name


@dataclass
class City:
    name: str  # 南溪 (the paper's locale)
    offices: list[Office]
    reporters: list[str]


def _name(rng: random.Random, taken: set[str]) -> str:
    surnames, weights = zip(*SURNAMES, strict=True)
    while True:
        given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
        name = rng.choices(surnames, weights)[0] + given
        if name not in taken:
            taken.add(name)
            return name


def _city(rng: random.Random, name: str) -> City:
    taken: set[str] = set()
    offices = [Office(title, org, rank, w) for title, org, rank, w in POSTS]
    for i, office in enumerate(offices):
        day = FIRST_DAY - dt.timedelta(days=rng.randrange(0, 3 * 365))
        while day <= LAST_DAY:
            end = day + dt.timedelta(days=rng.randrange(2 * 365, 6 * 365))
            # a deputy is often promoted: the next 书记/市长 comes from the offices below
            below = [o for o in offices[i + 1 : i + 6] if o.tenures]
            if i < 2 and below and rng.random() < 0.5:
                person = rng.choice(below).holder(min(day, LAST_DAY))
            else:
                person = _name(rng, taken)
            office.tenures.append(Tenure(person, day, end))
            day = end + dt.timedelta(days=1)
    reporters = [_name(rng, taken) for _ in range(6)]
    return City(name, offices, reporters)


class World:
    """The cities and national figures of a corpus of `size` articles (deterministic for a seed)."""

    def __init__(self, size: int, seed: int = 7) -> None:
        self.size, self.seed = size, seed
        rng = random.Random(seed)
        count = max(4, size // ARTICLES_PER_CITY)
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            n = 2 if len(seen) < 1000 else 3
            name = "".join(rng.choice(PLACE_CHARS) for _ in range(n))
            if name not in seen and len(set(name)) == len(name):
                seen.add(name)
                names.append(name)
        self.city_names = names
        self.national = [_name(rng, set()) for _ in range(30)]
        self._cities: dict[int, City] = {}

    def city(self, index: int) -> City:
        """City `index`, built on first use (its offices and tenures depend only on seed and index)."""
        if index not in self._cities:
            self._cities[index] = _city(random.Random(f"{self.seed}-city-{index}"), self.city_names[index])
        return self._cities[index]


# --- one article -----------------------------------------------------------------------------------
class _Writer:
    """Builds an article's text and spans together: `add(s)` appends and returns the span of `s`."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, s: str) -> tuple[int, int]:
        span = (self.size, self.size + len(s))
        self.parts.append(s)
        self.size += len(s)
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _day(rng: random.Random) -> dt.date:
    while True:
        day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
        if day.weekday() < 5 or rng.random() < 0.3:  # fewer reports on weekends
            return day


def _event(rng: random.Random, w: _Writer, world: World, city: City, day: dt.date,
           mentions: dict[tuple[str, str], Mention]) -> Event:
    kind = rng.choices(list(EVENT_TYPES), [v[0] for v in EVENT_TYPES.values()])[0]
    _weight, trigger, pattern, first_role, other_role = EVENT_TYPES[kind]
    when = day - dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
    precision = "day" if rng.random() < 0.9 else "month"
    date = when.isoformat() if precision == "day" else when.isoformat()[:7]
    offices = _pick_offices(rng, city, rng.choice((1, 2, 2, 3)))
    org = f"{city.name}{offices[0].org}"
    place = f"{city.name}{rng.choice(VENUES)}"
    topic = rng.choice(TOPICS)
    national = world.national[rng.randrange(len(world.national))] if rng.random() < 0.04 else None
    lead = national or offices[0].holder(when)
    when_text = f"{when.month}月{when.day}日上午，" if precision == "day" else "近日，"
    start = w.add(when_text)[0]
    label = pattern.format(org=org, person=lead, place=place, topic=topic)
    w.add(label + "。")
    participants: list[Participant] = []
    if national:
        span = w.add(national)
        w.add("同志出席。")
        participants.append(Participant(national, first_role, None, [], span))
        mentions.setdefault((national, "person"), Mention(national, "person")).spans.append(span)
    for i, office in enumerate(offices):
        person = office.holder(when)
        if any(p.name == person for p in participants):
            continue
        title = office.title
        w.add("，" if i else "")
        tspan = w.add(title)
        span = w.add(person)
        role = first_role if i == 0 and not national else other_role
        posts = [PostRef(title, office.org, office.rank)]
        participants.append(Participant(person, role, title, posts, span))
        m = mentions.setdefault((person, "person"), Mention(person, "person"))
        m.spans.append(span)
        if title not in m.titles:
            m.titles.append(title)
        if title.startswith(office.org):
            org_span = (tspan[0], tspan[0] + len(office.org))
            mentions.setdefault((office.org, "organization"), Mention(office.org, "organization")
                                ).spans.append(org_span)
    w.add("参加。\n")
    orgs = [OrgRole(org, "organizer", (start + len(when_text), start + len(when_text) + len(org)))
            if org in label else OrgRole(org, "organizer")]
    targets = [topic] if rng.random() < 0.2 else []
    goals = []
    if targets and rng.random() < 0.5:
        year = when.year + rng.choice((1, 2, 3))
        gspan = w.add(f"到{year}年，{topic}工作实现全覆盖。")
        goals.append(Goal(f"{topic}工作实现全覆盖", str(year), topic, None, "全覆盖", gspan))
    return Event(type=kind, date=date, precision=precision, part_of_day="morning" if precision == "day" else None,
                 participants=participants, organizations=orgs, location=place if rng.random() < 0.5 else None, label=label,
                 targets=targets, goals=goals, trigger=trigger, span=(start, w.size))


def _pick_offices(rng: random.Random, city: City, k: int) -> list[Office]:
    """k distinct offices, the weighty ones (书记, 市长) more often, in order of rank."""
    chosen: list[Office] = []
    weights = [o.weight for o in city.offices]
    while len(chosen) < min(k, len(city.offices)):
        office = rng.choices(city.offices, weights)[0]
        if office not in chosen:
            chosen.append(office)
    return sorted(chosen, key=city.offices.index)


def article(world: World, k: int) -> Record:
    """Article k of the corpus: a record as `dashiji extract` would give it."""
    rng = random.Random(f"{world.seed}-article-{k}")
    city = world.city(rng.randrange(len(world.city_names)))
    day = _day(rng)
    w = _Writer()
    mentions: dict[tuple[str, str], Mention] = {}
    events = [_event(rng, w, world, city, day, mentions) for _ in range(rng.choices((1, 2, 3), (80, 17, 3))[0])]
    reporter = rng.choice(city.reporters)
    w.add("（记者 ")
    rspan = w.add(reporter)
    w.add("）")
    mentions.setdefault((reporter, "person"), Mention(reporter, "person")).spans.append(rspan)
    people = [m.name for m in mentions.values() if m.kind == "person"]
    orgs = sorted({o.name for e in events for o in e.organizations})
    return Record(
        id=f"synth-{world.size}-{k:07d}", text=w.text, title=events[0].label, date=day.isoformat(),
        source={"repo": "dashiji/bench", "path": "synth.py"}, content_hash=None,
        people=people, organizations=orgs, places=[city.name], events=events,
        goals=[], reporters=[reporter], mentions=list(mentions.values()), locale=city.name,
    )


def corpus(size: int, seed: int = 7) -> Iterator[Record]:
    """The `size` records of a synthetic corpus, in order."""
    world = World(size, seed)
    for k in range(size):
        yield article(world, k)


if __name__ == "__main__":
    for rec in corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 100):
        sys.stdout.write(rec.to_json() + "\n")
