# Japanese text uses full-width punctuation (question marks, brackets), as it should.
# ruff: noqa: RUF001
"""Demo data for `manage.py demo`: people, customer accounts and requests in every state.

Everything is dated relative to `now` in business days (the same calendar the deadlines
use), so the demo looks the same whatever day it is started on, holidays included:

- one request waiting for its owner is already overdue: the first run of the minute job
  switches it to marketing;
- one is due at close of business on the next business day: move the clock (or wait a
  day) and the minute job switches it;
- every other state has at least one request, with a history that went through the
  workflow functions in chronological order (filed < decided < now), so the timelines,
  events and notifications are the real ones. Nothing here writes `status` directly.

Each transition runs in its own transaction, as in the app: when email is sent eagerly
(no broker) each notification is rendered right after the change that caused it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Department, Language, User
from interviews import calendar, workflow
from interviews.models import (
    Candidate,
    InterviewRequest,
    Notification,
    Purpose,
    ReasonCategory,
    RequestEvent,
)
from interviews.notifications import digest

DEMO_PASSWORD = "demo"  # noqa: S105 - printed on the console; it is a demo


@dataclass(frozen=True)
class DemoUser:
    key: str
    email: str
    name: str
    department: str
    language: str
    role: str
    is_manager: bool = False
    is_admin: bool = False
    reports_to: str | None = None
    time_zone: str | None = None
    main: bool = False  # listed on the console as a login to try


USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "marketer",
        "marketer@example.com",
        "Misaki Ito",
        Department.MARKETING,
        Language.JAPANESE,
        "Marketer (files requests)",
        main=True,
    ),
    DemoUser(
        "sales",
        "sales@example.com",
        "Kenta Sato",
        Department.SALES,
        Language.JAPANESE,
        "Sales rep (account owner)",
        reports_to="manager",
        main=True,
    ),
    DemoUser(
        "cs",
        "cs@example.com",
        "Olivia Brown",
        Department.CUSTOMER_SUCCESS,
        Language.ENGLISH,
        "Customer success (account owner)",
        reports_to="manager",
        main=True,
    ),
    DemoUser(
        "manager",
        "manager@example.com",
        "Naomi Clarke",
        Department.SALES,
        Language.ENGLISH,
        "Manager (dashboard, overrides)",
        is_manager=True,
        main=True,
    ),
    DemoUser(
        "admin",
        "admin@example.com",
        "Demo Admin",
        Department.OTHER,
        Language.ENGLISH,
        "Administrator (Django admin)",
        is_admin=True,
        main=True,
    ),
    # Colleagues, so that lists and the dashboard look like a real team.
    DemoUser(
        "sales2",
        "yuki.nakamura@example.com",
        "Yuki Nakamura",
        Department.SALES,
        Language.JAPANESE,
        "Sales rep",
        reports_to="manager",
    ),
    DemoUser(
        "sales3",
        "emily.carter@example.com",
        "Emily Carter",
        Department.SALES,
        Language.ENGLISH,
        "Sales rep (Singapore)",
        reports_to="manager",
        time_zone="Asia/Singapore",
    ),
    DemoUser(
        "cs2",
        "haruto.suzuki@example.com",
        "Haruto Suzuki",
        Department.CUSTOMER_SUCCESS,
        Language.JAPANESE,
        "Customer success",
        reports_to="manager",
    ),
    DemoUser(
        "marketer2",
        "james.wilson@example.com",
        "James Wilson",
        Department.MARKETING,
        Language.ENGLISH,
        "Marketer",
    ),
    DemoUser(
        "marketer3",
        "aoi.kobayashi@example.com",
        "Aoi Kobayashi",
        Department.MARKETING,
        Language.JAPANESE,
        "Marketer",
    ),
)

MAIN_USERS = tuple(u for u in USERS if u.main)


@dataclass(frozen=True)
class DemoAccount:
    key: str
    name: str
    crm_id: str
    domain: str
    owner: str
    # (name, title, mailbox at the account's domain)
    people: tuple[tuple[str, str, str], ...]
    sensitive_reason: str = ""


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "sakura",
        "株式会社サクラ精機",
        "CRM-100231",
        "sakura-seiki.example.jp",
        "sales",
        (
            ("山田 太郎", "製造本部 本部長", "taro.yamada"),
            ("佐々木 由美", "情報システム課 課長", "yumi.sasaki"),
        ),
    ),
    DemoAccount(
        "northwind",
        "Northwind Logistics KK",
        "CRM-100248",
        "northwind-logistics.example.com",
        "cs",
        (
            ("Daniel Moore", "COO, Japan", "daniel.moore"),
            ("Keiko Tanabe", "Head of Warehouse Operations", "keiko.tanabe"),
        ),
    ),
    DemoAccount(
        "midori",
        "株式会社ミドリ食品",
        "CRM-100317",
        "midori-foods.example.jp",
        "sales",
        (
            ("高橋 健一", "経営企画室 室長", "kenichi.takahashi"),
            ("井上 美穂", "品質保証部 マネージャー", "miho.inoue"),
            ("松本 翔", "DX推進グループ", "sho.matsumoto"),
        ),
    ),
    DemoAccount(
        "contoso",
        "Contoso Japan GK",
        "CRM-100352",
        "contoso.example.com",
        "sales3",
        (
            ("Sarah Lee", "IT Director", "sarah.lee"),
            ("Takeshi Mori", "Finance Manager", "takeshi.mori"),
        ),
    ),
    DemoAccount(
        "kamome",
        "株式会社かもめ物流",
        "CRM-100409",
        "kamome-logi.example.jp",
        "sales2",
        (
            ("中村 大輔", "物流企画部 マネージャー", "daisuke.nakamura"),
            ("小林 さくら", "DX推進室 室長", "sakura.kobayashi"),
        ),
    ),
    DemoAccount(
        "fabrikam",
        "Fabrikam Pharma KK",
        "CRM-100433",
        "fabrikam-pharma.example.com",
        "cs",
        (("Hannah Schmidt", "Head of Clinical Operations, APAC", "hannah.schmidt"),),
    ),
    DemoAccount(
        "himawari",
        "株式会社ひまわり不動産",
        "CRM-100478",
        "himawari-fudosan.example.jp",
        "cs2",
        (
            ("加藤 直樹", "取締役 管理本部長", "naoki.kato"),
            ("吉田 彩", "経理部 主任", "aya.yoshida"),
        ),
    ),
    DemoAccount(
        "tailspin",
        "Tailspin Toys Japan",
        "CRM-100512",
        "tailspin-toys.example.com",
        "sales3",
        (
            ("Michael Tan", "Managing Director", "michael.tan"),
            ("Rie Fujita", "E-commerce Lead", "rie.fujita"),
        ),
    ),
    DemoAccount(
        "aoba",
        "株式会社青葉メディカル",
        "CRM-100560",
        "aoba-medical.example.jp",
        "sales",
        (
            ("森 恵子", "医療情報部 部長", "keiko.mori"),
            ("清水 拓也", "システム企画課", "takuya.shimizu"),
        ),
    ),
    DemoAccount(
        "kitsune",
        "Kitsune Games Inc.",
        "CRM-100587",
        "kitsune-games.example.com",
        "cs",
        (
            ("Alex Turner", "VP Engineering", "alex.turner"),
            ("Mei Hayashi", "Producer", "mei.hayashi"),
        ),
    ),
    DemoAccount(
        "fujimi",
        "株式会社富士見建設",
        "CRM-100615",
        "fujimi-kensetsu.example.jp",
        "sales2",
        (
            ("斎藤 誠", "工務部 部長", "makoto.saito"),
            ("山口 純", "総務部 IT担当", "jun.yamaguchi"),
        ),
    ),
    DemoAccount(
        "blueharbor",
        "Blue Harbor Insurance KK",
        "CRM-100644",
        "blueharbor-ins.example.com",
        "sales",
        (
            ("Laura Chen", "Chief Digital Officer", "laura.chen"),
            ("Kazuki Ono", "Claims Operations Manager", "kazuki.ono"),
        ),
    ),
    DemoAccount(
        "tsubasa",
        "株式会社つばさトラベル",
        "CRM-100690",
        "tsubasa-travel.example.jp",
        "cs2",
        (("岡田 真理", "営業企画部 部長", "mari.okada"),),
    ),
    DemoAccount(
        "minato",
        "Minato Capital Partners",
        "CRM-100725",
        "minato-capital.example.com",
        "sales3",
        (
            ("Robert Hughes", "Partner", "robert.hughes"),
            ("Aya Kimura", "Head of Operations", "aya.kimura"),
        ),
    ),
    DemoAccount(
        "iroha",
        "株式会社いろは教育",
        "CRM-100768",
        "iroha-edu.example.jp",
        "cs",
        (
            ("石井 明美", "教務部 部長", "akemi.ishii"),
            ("前田 健", "情報システム室", "ken.maeda"),
        ),
    ),
    DemoAccount(
        "summit",
        "Summit Analytics Japan",
        "CRM-100803",
        "summit-analytics.example.com",
        "sales2",
        (("Priya Nair", "Country Manager", "priya.nair"),),
    ),
    DemoAccount(
        "kotobuki",
        "株式会社コトブキ化学",
        "CRM-100839",
        "kotobuki-chem.example.jp",
        "sales",
        (
            ("藤原 修", "生産技術部 部長", "osamu.fujiwara"),
            ("長谷川 愛", "調達部", "ai.hasegawa"),
        ),
        sensitive_reason=(
            "出荷ロットの品質問題に対応中です。再発防止策の合意まで新しい依頼は控えてください。"
            " (Quality incident in progress: no new asks until the corrective plan is agreed.)"
        ),
    ),
    DemoAccount(
        "orion",
        "Orion Semiconductor KK",
        "CRM-100871",
        "orion-semi.example.com",
        "cs2",
        (
            ("Thomas Becker", "Plant Manager, Kumamoto", "thomas.becker"),
            ("Nana Ueda", "Procurement Lead", "nana.ueda"),
        ),
    ),
    DemoAccount(
        "yamabiko",
        "株式会社やまびこ通信",
        "CRM-100902",
        "yamabiko-tsushin.example.jp",
        "cs",
        (("西村 亮", "カスタマーサポート部 部長", "ryo.nishimura"),),
    ),
    DemoAccount(
        "lighthouse",
        "Lighthouse Energy KK",
        "CRM-100946",
        "lighthouse-energy.example.com",
        "sales3",
        (
            ("Grace Park", "Head of Sustainability", "grace.park"),
            ("Shun Aoki", "Energy Trading Analyst", "shun.aoki"),
            ("Oliver Grant", "CFO", "oliver.grant"),
        ),
    ),
)

# Where the requests the minute job will act on live (tests and docs point at them).
OVERDUE_ACCOUNT = "CRM-100248"  # Northwind: overdue at load, switched by the first run
DUE_SOON_ACCOUNT = "CRM-100231"  # Sakura: due at close of business on the next business day
RECENTLY_INTERVIEWED_ACCOUNT = "CRM-100768"  # Iroha: interviewed ~20 days ago (cooldown)
# Industries as the CRM would export them (the findings library filters by them).
INDUSTRIES = {
    "sakura": "製造業", "northwind": "Logistics", "midori": "食品", "contoso": "IT",
    "kamome": "物流", "fabrikam": "Manufacturing", "himawari": "小売", "tailspin": "Retail",
    "aoba": "医療", "kitsune": "IT", "fujimi": "建設", "blueharbor": "Logistics",
    "tsubasa": "旅行", "minato": "Finance", "iroha": "教育", "summit": "IT",
    "kotobuki": "金融", "orion": "Manufacturing", "yamabiko": "製造業", "lighthouse": "Education",
}  # fmt: skip

SENSITIVE_ACCOUNT = "CRM-100839"  # Kotobuki: sensitive for 30 days


@dataclass
class _Loader:
    now: dt.datetime
    users: dict[str, User] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    request_ids: dict[str, int] = field(default_factory=dict)
    steps: list[tuple[dt.datetime, int, Callable[[], Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.today = calendar.business_date(self.now)
        # Business day 0 is today, or the last business day before it on a closed day;
        # day(1) is always the first business day after today.
        self.base = calendar.previous_business_day(calendar.next_business_day(self.today))

    # --- Dates ---------------------------------------------------------------------------

    def day(self, n: int) -> dt.date:
        if n >= 0:
            return calendar.add_business_days(self.base, n)
        return calendar.subtract_business_days(self.base, -n)

    def at(self, n: int | dt.date, hour: int, minute: int = 0) -> dt.datetime:
        day = self.day(n) if isinstance(n, int) else n
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.business_tz())

    def business_day_on_or_before(self, day: dt.date) -> dt.date:
        return day if calendar.is_business_day(day) else calendar.previous_business_day(day)

    # --- People and accounts ---------------------------------------------------------------

    def create_people(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: the same for everyone
        for spec in USERS:
            user = User(
                email=spec.email,
                name=spec.name,
                department=spec.department,
                language=spec.language,
                time_zone=spec.time_zone or settings.TIME_ZONE,
                is_manager=spec.is_manager,
                is_staff=spec.is_admin,
                is_superuser=spec.is_admin,
                password=password,
            )
            user.save()
            self.users[spec.key] = user
        for spec in USERS:
            if spec.reports_to:
                user = self.users[spec.key]
                user.reports_to = self.users[spec.reports_to]
                user.save(update_fields=["reports_to"])

        for spec in ACCOUNTS:
            account = Account.objects.create(
                name=spec.name,
                crm_id=spec.crm_id,
                domain=spec.domain,
                industry=INDUSTRIES.get(spec.key, ""),
                owner=self.users[spec.owner],
                # No new requests for 30 days (none are filed for it below).
                sensitive_until=(
                    self.today + dt.timedelta(days=30) if spec.sensitive_reason else None
                ),
                sensitive_reason=spec.sensitive_reason,
            )
            Candidate.objects.bulk_create(
                Candidate(account=account, name=name, title=title, email=f"{box}@{spec.domain}")
                for name, title, box in spec.people
            )
            self.accounts[spec.key] = account

    # --- Requests: a plan of dated steps, run in time order ----------------------------------

    def plan(self, when: dt.datetime, action: Callable[[], Any]) -> None:
        if when >= self.now:
            raise ValueError(f"Demo step at {when.isoformat()} is not in the past")
        self.steps.append((when, len(self.steps), action))

    def file(
        self,
        key: str,
        when: dt.datetime,
        *,
        account: str,
        by: str,
        purpose: str,
        topic: str,
        questions: str,
        note: str = "",
        needed_in_days: int | None = 45,
        people: int = 1,
    ) -> None:
        def run() -> None:
            acc = self.accounts[account]
            candidates = list(Candidate.objects.filter(account=acc).order_by("pk")[:people])
            needed_by = (
                calendar.business_date(when) + dt.timedelta(days=needed_in_days)
                if needed_in_days
                else None
            )
            request = workflow.request_file(
                by=self.users[by],
                account=acc,
                candidates=candidates,
                purpose=purpose,
                topic=topic,
                questions=questions,
                needed_by=needed_by,
                note_to_owner=note,
                now=when,
            )
            self.request_ids[key] = request.pk

        self.plan(when, run)

    def act(self, key: str, when: dt.datetime, function: Callable[..., Any], **kwargs) -> None:
        """A transition by a person (or the per-request system form) at `when`."""

        def run() -> None:
            resolved = {k: self.users[v[1:]] if _is_user_ref(v) else v for k, v in kwargs.items()}
            function(request_id=self.request_ids[key], now=when, **resolved)

        self.plan(when, run)

    def edit(self, key: str, when: dt.datetime, *, by: str, **changes: Any) -> None:
        """The marketer changes what they asked (the rest of the request stays)."""

        def run() -> None:
            request = InterviewRequest.objects.get(pk=self.request_ids[key])
            values = {
                "purpose": request.purpose,
                "topic": request.topic,
                "questions": request.questions,
                "needed_by": request.needed_by,
                "note_to_owner": request.note_to_owner,
                "candidates": list(request.candidates.all()),
                **changes,
            }
            workflow.request_edit(request_id=request.pk, by=self.users[by], now=when, **values)

        self.plan(when, run)

    def comment(self, key: str, when: dt.datetime, *, by: str, body: str) -> None:
        self.act(key, when, workflow.comment_add, by=f"@{by}", body=body)

    def send_reminders(self, key: str, when: dt.datetime) -> None:
        def run() -> None:
            workflow.send_reminders_batch(now=when, ids=[self.request_ids[key]])

        self.plan(when, run)

    def switch_overdue(self, key: str, when: dt.datetime) -> None:
        def run() -> None:
            switched = workflow.switch_overdue_batch(now=when, ids=[self.request_ids[key]])
            if not switched:
                raise RuntimeError(f"Demo request {key!r} was not overdue at {when.isoformat()}")

        self.plan(when, run)

    def run(self) -> None:
        for _when, _order, action in sorted(self.steps, key=lambda s: (s[0], s[1])):
            action()


def _hand_over(d: _Loader, key: str) -> None:
    request = InterviewRequest.objects.select_related("account").get(pk=d.request_ids[key])
    account = request.account
    new_owner = d.users["sales2"] if account.owner_id != d.users["sales2"].pk else d.users["sales"]
    Account.objects.filter(pk=account.pk).update(owner=new_owner)
    workflow.account_owner_changed(
        account_id=account.pk,
        new_owner=new_owner,
        by=d.users["manager"],
        reason="The account moved to another rep in the CRM.",
        now=d.at(-1, 11, 0),
    )


def _is_user_ref(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("@")


def _window_reminders(filed_at: dt.datetime) -> tuple[dt.datetime, list[dt.datetime]]:
    """The deadline and reminder times a request filed at `filed_at` gets."""
    due = calendar.deadline_after(filed_at, settings.RESPONSE_WINDOW_BUSINESS_DAYS)
    return due, calendar.reminder_times(filed_at, due)


def _plan_requests(d: _Loader) -> None:
    now = d.now

    # --- Waiting for the owner ----------------------------------------------------------------

    # Filed 8 business days ago and never answered: the first minute-job run switches it.
    d.file(
        "overdue",
        d.at(-8, 11, 0),
        account="northwind",
        by="marketer2",
        purpose=Purpose.CASE_STUDY,
        topic="How Northwind cut warehouse picking errors by 40% in one quarter",
        questions=(
            "What made you look for a new system last year?\n"
            "How did the rollout go across the three warehouses?\n"
            "Which numbers changed first, and who noticed?\n"
            "What would you tell a logistics company about to start?"
        ),
        note="For the logistics landing page and the APAC webinar next month.",
        people=2,
    )

    # Due at close of business on the next business day: move the clock a day and it switches.
    d.file(
        "due_soon",
        d.at(-4, 10, 0),
        account="sakura",
        by="marketer",
        purpose=Purpose.CASE_STUDY,
        topic="生産管理のクラウド移行：導入6か月で見えた成果",
        questions=(
            "クラウド移行を決めたきっかけは何でしたか？\n"
            "現場（工場）の反応はどうでしたか？\n"
            "導入前と比べて、リードタイムや在庫はどう変わりましたか？\n"
            "同業の製造業の方に一言お願いします。"
        ),
        note="秋の製造業向けセミナーで事例として紹介したいです。山田様にぜひお話を伺いたいです。",
        people=2,
    )
    d.edit(
        "due_soon",
        d.at(-4, 15, 0),
        by="marketer",
        questions=(
            "クラウド移行を決めたきっかけは何でしたか？\n"
            "現場（工場）の反応はどうでしたか？\n"
            "導入前と比べて、リードタイムや在庫はどう変わりましたか？\n"
            "社内の情報システム部門の負担はどう変わりましたか？\n"
            "同業の製造業の方に一言お願いします。"
        ),
    )
    d.comment(
        "due_soon",
        d.at(-3, 11, 0),
        by="sales",
        body="山田様は来週まで海外出張です。佐々木様だけのインタビューでも大丈夫ですか？",
    )
    d.comment(
        "due_soon",
        d.at(-3, 13, 30),
        by="marketer",
        body="はい、佐々木様だけでも大丈夫です。山田様には後日コメントだけいただければ十分です。",
    )

    # Filed to Yuki; a manager passed it to Kenta (Yuki is away): a fresh window for him.
    d.file(
        "reassigned",
        d.at(-3, 10, 30),
        account="kamome",
        by="marketer",
        purpose=Purpose.TESTIMONIAL,
        topic="物流DXの推進担当者の声（コメント1〜2文）",
        questions=(
            "導入の決め手を一言でいうと何ですか？\nサイトに会社名とお名前を掲載してもよいですか？"
        ),
        note="Webサイトのお客様の声ページ用です。短いコメントで十分です。",
    )
    d.act(
        "reassigned",
        d.at(-1, 14, 0),
        workflow.request_reassign_owner,
        by="@manager",
        new_owner="@sales",
        reason="Yuki is on leave until the end of the month; Kenta is covering her accounts.",
    )

    # Reminded, then a manager gave the owner five more business days.
    extended_filed = d.at(-6, 13, 0)
    d.file(
        "extended",
        extended_filed,
        account="contoso",
        by="marketer2",
        purpose=Purpose.RESEARCH,
        topic="Why mid-size companies choose us over building in-house",
        questions=(
            "Which alternatives did you consider, including building it yourselves?\n"
            "Who was involved in the decision, and what convinced finance?\n"
            "What almost stopped the purchase?"
        ),
        note="30-minute research call, not for publication.",
        needed_in_days=None,
        people=2,
    )
    _due, reminders = _window_reminders(extended_filed)
    extended_at = d.at(-2, 17, 0)
    for when in reminders:
        if when < extended_at:
            d.send_reminders("extended", when)
    d.act(
        "extended",
        extended_at,
        workflow.request_extend_deadline,
        by="@manager",
        extra_business_days=5,
        reason="Emily is at the partner summit in Singapore this week.",
    )

    # Filed a few minutes ago.
    d.file(
        "fresh",
        now - dt.timedelta(minutes=25),
        account="himawari",
        by="marketer",
        purpose=Purpose.TESTIMONIAL,
        topic="管理部門の業務効率化についてのコメント",
        questions="月次決算の作業時間はどのくらい短くなりましたか？\n社内の評判はいかがですか？",
        note="",
        needed_in_days=30,
    )

    # --- Deferred: the owner said "not now", until a date in the future ---------------------
    deferred_on = d.at(-2, 10, 30)
    d.file(
        "deferred",
        d.at(-4, 14, 0),
        account="blueharbor",
        by="marketer",
        purpose=Purpose.CASE_STUDY,
        topic="Blue Harbor: claims handled in days, not weeks",
        questions=(
            "How long did a typical claim take before, and now?\n"
            "How did the claims team change the way it works?\n"
            "What did policyholders notice?"
        ),
        note="Would be our first insurance case study.",
        needed_in_days=60,
        people=2,
    )
    d.act(
        "deferred",
        deferred_on,
        workflow.request_defer,
        by="@sales",
        until=calendar.business_date(deferred_on)
        + dt.timedelta(days=min(21, settings.MAX_DEFERRAL_DAYS)),
        reason_category=ReasonCategory.CUSTOMER_BUSY,
        reason="契約更新の交渉中です。更新がまとまる来月にもう一度相談させてください。",
    )
    d.comment(
        "deferred",
        deferred_on + dt.timedelta(hours=3),
        by="marketer",
        body="承知しました。更新の件が落ち着いたら、改めてご相談させてください。",
    )

    # --- The owner asks the customer (after one deferral that ended) -------------------------
    oo_deferred_on = d.at(-11, 16, 0)
    oo_until = min(
        d.day(-6),
        calendar.business_date(oo_deferred_on) + dt.timedelta(days=settings.MAX_DEFERRAL_DAYS),
    )
    d.file(
        "owner_outreach",
        d.at(-12, 10, 0),
        account="midori",
        by="marketer3",
        purpose=Purpose.RESEARCH,
        topic="食品メーカーの品質データ活用に関するヒアリング",
        questions=(
            "品質データは現在どのように集めていますか？\n"
            "監査対応で一番手間がかかるのはどこですか？\n"
            "次に改善したい業務は何ですか？"
        ),
        note="新機能の企画のためのヒアリングです（公開はしません）。",
        people=3,
    )
    d.act(
        "owner_outreach",
        oo_deferred_on,
        workflow.request_defer,
        by="@sales",
        until=oo_until,
        reason_category=ReasonCategory.BAD_TIMING,
        reason="決算期で先方が忙しいため、来週以降にしてください。",
    )
    woke_at = calendar.wake_time(oo_until) + dt.timedelta(minutes=1)
    d.act("owner_outreach", woke_at, workflow.request_wake)
    d.act(
        "owner_outreach",
        max(d.at(-4, 11, 0), woke_at + dt.timedelta(hours=2)),
        workflow.request_owner_will_reach_out,
        by="@sales",
    )

    # --- Marketing contacts the customer: go-ahead, escalated, forced -------------------------
    d.file(
        "go_ahead",
        d.at(-5, 10, 0),
        account="fabrikam",
        by="marketer2",
        purpose=Purpose.CASE_STUDY,
        topic="Running multi-country clinical trials on one platform",
        questions=(
            "What did trial coordination look like before?\n"
            "How did you handle validation and compliance during the rollout?\n"
            "What has changed for site managers?"
        ),
        note="Hannah spoke at our user group; she may be happy to do this.",
    )
    d.act("go_ahead", d.at(-4, 9, 30), workflow.request_owner_go_ahead, by="@cs")

    escalated_filed = d.at(-12, 10, 0)
    escalated_due, escalated_reminders = _window_reminders(escalated_filed)
    d.file(
        "escalated",
        escalated_filed,
        account="fujimi",
        by="marketer",
        purpose=Purpose.CASE_STUDY,
        topic="建設現場の日報をペーパーレス化：富士見建設の取り組み",
        questions=(
            "紙の日報で困っていたことは何ですか？\n"
            "現場の職人さんにどう浸透させましたか？\n"
            "事務所の作業時間はどう変わりましたか？"
        ),
        note="建設業界向けの展示会（来月）に間に合わせたいです。",
        people=2,
    )
    for when in escalated_reminders:
        d.send_reminders("escalated", when)
    d.switch_overdue("escalated", escalated_due + dt.timedelta(minutes=1))

    d.file(
        "forced",
        d.at(-7, 10, 0),
        account="tailspin",
        by="marketer2",
        purpose=Purpose.TESTIMONIAL,
        topic="A quote for the holiday-season retail campaign",
        questions="One or two sentences on what changed for your online store this year.",
        note="Needed for the campaign launch; a short quote is enough.",
        needed_in_days=14,
    )
    d.act(
        "forced",
        d.at(-3, 16, 0),
        workflow.request_force_switch,
        by="@manager",
        reason=(
            "Campaign goes live next week; Emily agreed on the phone that James can ask Michael."
        ),
    )
    # The account changed hands in the CRM afterwards (as an import would record it): the
    # request under way follows the new owner, who is told.
    d.plan(d.at(-1, 11, 0), lambda: _hand_over(d, "forced"))

    # --- Scheduled: the owner asked, the customer agreed to a date next week -------------------
    d.file(
        "scheduled",
        d.at(-10, 10, 0),
        account="aoba",
        by="marketer",
        purpose=Purpose.CASE_STUDY,
        topic="電子カルテ連携で外来の待ち時間を短縮した事例",
        questions=(
            "導入前の外来の課題は何でしたか？\n"
            "医師・看護師の方の反応はいかがでしたか？\n"
            "患者さんの待ち時間はどのくらい変わりましたか？"
        ),
        note="医療業界向けの事例集に掲載予定です。",
        people=2,
    )
    d.act(
        "scheduled",
        d.at(-9, 11, 0),
        workflow.request_owner_will_reach_out,
        by="@sales",
    )
    d.act(
        "scheduled",
        d.at(-2, 15, 0),
        workflow.request_schedule,
        by="@sales",
        interview_at=d.at(5, 14, 0),
        location="青葉メディカル 本社 3F会議室（オンライン参加可：Zoom）",
        participants=(
            "森 恵子様（医療情報部 部長）、清水 拓也様 / 伊藤（マーケティング）、佐藤（営業）"
        ),
    )

    # --- Closed ---------------------------------------------------------------------------------
    d.file(
        "declined",
        d.at(-25, 11, 0),
        account="kitsune",
        by="marketer2",
        purpose=Purpose.CASE_STUDY,
        topic="Shipping live-service games with weekly releases",
        questions=(
            "How often did you release before, and now?\nWhat did the switch cost the team?"
        ),
    )
    d.act(
        "declined",
        d.at(-24, 10, 0),
        workflow.request_decline,
        by="@cs",
        reason_category=ReasonCategory.OPEN_ISSUE,
        reason=(
            "They have an open P1 escalation about build times. Let's revisit once it is "
            "resolved and they have had a calm month."
        ),
    )

    d.file(
        "customer_declined",
        d.at(-22, 10, 0),
        account="minato",
        by="marketer2",
        purpose=Purpose.CASE_STUDY,
        topic="Automating fund reporting for institutional investors",
        questions=(
            "How many hours did quarterly reporting take before?\nWhat did your investors notice?"
        ),
        people=2,
    )
    d.act(
        "customer_declined",
        d.at(-21, 9, 40),
        workflow.request_owner_go_ahead,
        by="@sales3",
    )
    d.act(
        "customer_declined",
        d.at(-15, 16, 0),
        workflow.request_customer_declined,
        by="@marketer2",
        reason="Their compliance team does not allow public case studies this year.",
    )

    d.file(
        "cancelled",
        d.at(-18, 10, 0),
        account="summit",
        by="marketer3",
        purpose=Purpose.OTHER,
        topic="パートナー向けイベントでの登壇依頼",
        questions="イベントで15分ほど導入の経緯をお話しいただけますか？",
        note="",
    )
    d.act(
        "cancelled",
        d.at(-16, 15, 0),
        workflow.request_cancel,
        by="@marketer3",
        reason="イベントが来期に延期になったため、依頼を取り下げます。",
    )

    # Interviewed about 20 days ago: the account is in its cooldown now.
    recent_interview = d.business_day_on_or_before(d.today - dt.timedelta(days=20))
    _completed(
        d,
        "completed",
        account="iroha",
        by="marketer",
        owner="@cs",
        interview_day=recent_interview,
        purpose=Purpose.CASE_STUDY,
        topic="オンライン授業の出欠管理を自動化：いろは教育の事例",
        questions=(
            "以前は出欠管理にどのくらい時間がかかっていましたか？\n"
            "先生方と保護者の反応はいかがでしたか？"
        ),
        location="Online (Teams)",
        outcome=(
            "出欠の集計作業が月20時間から2時間に。先生方が授業準備に時間を使えるようになった"
            "点が一番の成果とのこと。保護者への連絡も当日中にできるようになった。"
            " Key quote approved by 石井様; logo use approved."
        ),
        url="https://www.example.com/customers/iroha-edu",
        learnings=(
            "決め手は保護者への連絡が自動化できること。教務部が主導し、先生方への説明会は"
            "1回で済んだ。次は成績管理との連携を期待している。"
        ),
        quotes="「先生が生徒と向き合う時間が、月に20時間戻ってきました。」— 石井 明美様",
        findings=(
            ("why_us", "決め手は保護者への連絡を自動化できること。", "", None, False),
            (
                "first_value",
                "導入初月に出欠の集計作業が月20時間から2時間に減った。",
                "先生が生徒と向き合う時間が、月に20時間戻ってきました。",
                0,
                True,
            ),
            (
                "compared",
                "他社の校務システムと比較したが、設定の手間で当社を選んだ。",
                "",
                None,
                False,
            ),
            ("product_feedback", "成績管理との連携を期待している。", "", None, False),
        ),
    )
    # An older piece, long out of cooldown.
    _completed(
        d,
        "completed_old",
        account="tsubasa",
        by="marketer3",
        owner="@cs2",
        interview_day=d.business_day_on_or_before(d.today - dt.timedelta(days=150)),
        purpose=Purpose.TESTIMONIAL,
        topic="旅行プランの見積作成を半日から30分に",
        questions="導入後、見積作成の時間はどう変わりましたか？",
        location="つばさトラベル 本社",
        outcome=(
            "見積作成が半日から30分に短縮。繁忙期の残業が減り、若手でも見積を担当できるように"
            "なった。コメントと写真の掲載許可あり。"
        ),
        url="https://www.example.com/customers/tsubasa-travel",
        findings=(
            ("before", "以前は見積をExcelで半日かけて作っていた。", "", None, False),
            (
                "describe_us",
                "They describe us as the quote tool juniors can use on day one.",
                "若手でも初日から見積を任せられるようになりました。",
                0,
                True,
            ),
            (
                "objection",
                "Worried at first about moving price tables out of Excel.",
                "",
                None,
                False,
            ),
        ),
    )


def _completed(
    d: _Loader,
    key: str,
    *,
    account: str,
    by: str,
    owner: str,
    interview_day: dt.date,
    purpose: str,
    topic: str,
    questions: str,
    location: str,
    outcome: str,
    url: str,
    learnings: str = "",
    quotes: str = "",
    findings: tuple[tuple[str, str, str, int | None, bool], ...] = (),
) -> None:
    """A request filed, answered, scheduled and completed; `findings` are (kind, statement,
    quote, index of the speaker among its candidates, quotable), added after the outcome."""
    filed_day = calendar.subtract_business_days(interview_day, 15)
    d.file(
        key,
        d.at(filed_day, 10, 0),
        account=account,
        by=by,
        purpose=purpose,
        topic=topic,
        questions=questions,
        needed_in_days=60,
    )
    d.act(
        key,
        d.at(calendar.add_business_days(filed_day, 1), 9, 45),
        workflow.request_owner_go_ahead,
        by=owner,
    )
    d.act(
        key,
        d.at(calendar.add_business_days(filed_day, 4), 16, 30),
        workflow.request_schedule,
        by=f"@{by}",
        interview_at=d.at(interview_day, 14, 0),
        location=location,
    )
    d.act(
        key,
        d.at(calendar.add_business_days(interview_day, 2), 11, 0),
        workflow.request_complete,
        by=f"@{by}",
        outcome_summary=outcome,
        published_url=url,
        learnings=learnings,
        quotes=quotes,
    )
    if findings:
        when = d.at(calendar.add_business_days(interview_day, 2), 11, 20)

        def add() -> None:
            request = InterviewRequest.objects.get(pk=d.request_ids[key])
            people = list(request.candidates.order_by("pk"))
            workflow.findings_add(
                request_id=request.pk,
                by=d.users[by],
                items=[
                    workflow.FindingInput(
                        kind=kind,
                        statement=statement,
                        quote=quote,
                        speaker_id=people[who].pk if who is not None else None,
                        quotable=quotable,
                    )
                    for kind, statement, quote, who, quotable in findings
                ],
                now=when,
            )

        d.plan(when, add)


def load_demo_data(now: dt.datetime | None = None) -> dict[str, int]:
    """Create the demo people, accounts and requests. Expects an empty database.

    Returns how many rows of each kind exist afterwards.
    """
    now = now or timezone.now()
    loader = _Loader(now=now)
    with transaction.atomic():
        loader.create_people()
    _plan_requests(loader)
    loader.run()
    # This week's digest for the demo manager, so it is in the dev mailbox from the start.
    digest.send_weekly_digest(now=now)
    return {
        "users": User.objects.count(),
        "accounts": Account.objects.count(),
        "candidates": Candidate.objects.count(),
        "requests": InterviewRequest.objects.count(),
        "events": RequestEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }
