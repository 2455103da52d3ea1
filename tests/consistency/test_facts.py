"""Fact extraction and comparison on real help-centre and policy sentences."""

from __future__ import annotations

import pytest

from consistency.facts import (
    Difference,
    Quantity,
    agreeing_kinds,
    agreeing_quantities,
    compare,
    describe,
    extract_facts,
    misaligned,
    negation_flip,
    read_cell,
)


def differences(policy: str, article: str) -> list[Difference]:
    return compare(extract_facts(policy), extract_facts(article))


def only_quantity(text: str) -> Quantity:
    (q,) = extract_facts(text).quantities
    return q


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit", "bound", "matched"),
    [
        ("Be at least 18 years old to go LIVE.", "age", 18, 18, "year", "min", "at least 18 years old"),
        ("You must be over 18 to go LIVE.", "age", 18, 18, "year", "min", "over 18"),
        ("Creators 18 or older can go LIVE.", "age", 18, 18, "year", "min", "18 or older"),
        ("LIVE is for 18+ creators.", "age", 18, 18, "year", "min", "18+"),
        ("Users under 16 cannot send gifts.", "age", 16, 16, "year", "max", "under 16"),
        ("Teens aged 13 to 17 get private accounts.", "age", 13, 17, "year", "exact", "aged 13 to 17"),
        ("Teens aged 13-17 get private accounts.", "age", 13, 17, "year", "exact", "aged 13-17"),
        ("Accounts for 13-year-olds are private.", "age", 13, 13, "year", "exact", "13-year-olds"),
        ("Appeal within 30 days.", "duration", 30, 30, "day", "max", "within 30 days"),
        ("You have one month to appeal.", "duration", 30, 30, "day", "exact", "one month"),
        ("Reviews take a week.", "duration", 7, 7, "day", "exact", "a week"),
        ("We answer within 48 hours.", "duration", 2, 2, "day", "max", "within 48 hours"),
        ("Data is kept for 2 years.", "duration", 730, 730, "day", "exact", "2 years"),
        ("Data is kept for 12 months.", "duration", 365, 365, "day", "exact", "12 months"),
        ("Refunds take 10 business days.", "duration", 10, 10, "business day", "exact", "10 business days"),
        ("Payouts start at USD 50.", "amount", 50, 50, "USD", "exact", "USD 50"),
        ("Payouts start at $50.", "amount", 50, 50, "USD", "exact", "$50"),
        ("Payouts start at US$ 50.", "amount", 50, 50, "USD", "exact", "US$ 50"),
        ("Payouts start at 50 USD.", "amount", 50, 50, "USD", "exact", "50 USD"),
        ("Payouts start at 500 dollars.", "amount", 500, 500, "USD", "exact", "500 dollars"),
        ("Payouts start at €30.", "amount", 30, 30, "EUR", "exact", "€30"),
        ("Payouts start at £40.", "amount", 40, 40, "GBP", "exact", "£40"),
        ("We keep 20% of gift revenue.", "percentage", 20, 20, "percent", "exact", "20%"),
        ("We keep 20 percent of gift revenue.", "percentage", 20, 20, "percent", "exact", "20 percent"),
        ("You need 1,000 followers to go LIVE.", "count", 1000, 1000, "follower", "exact", "1,000 followers"),
        ("Accounts with 5 active strikes are banned.", "count", 5, 5, "strike", "exact", "5 active strikes"),
        ("Invite up to 8 guests.", "count", 8, 8, "guest", "max", "up to 8 guests"),
        ("Earn after 100,000 qualified video views.", "count", 100_000, 100_000, "view", "exact",
         "100,000 qualified video views"),
        ("Reach 2,000+ followers first.", "count", 2000, 2000, "follower", "min", "2,000+ followers"),
    ],
)
def test_extracts_one_quantity(
    text: str, kind: str, low: float, high: float, unit: str, bound: str, matched: str
) -> None:
    q = only_quantity(text)
    assert (q.kind, q.low, q.high, q.unit, q.bound, q.text) == (kind, low, high, unit, bound, matched)
    assert text[q.start : q.end] == matched


def test_lists_are_not_ranges() -> None:
    facts = extract_facts("Payouts are US$ 50 and 500 dollars, or €30 and 40 GBP.")
    assert [(q.unit, q.low, q.high) for q in facts.quantities] == [
        ("USD", 50, 50), ("USD", 500, 500), ("EUR", 30, 30), ("GBP", 40, 40),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "modality", "modal", "negated"),
    [
        ("Gifts are not permitted in LIVE.", "forbid", "not permitted", True),
        ("Gifts are prohibited in LIVE.", "forbid", "prohibited", False),
        ("You can't send gifts.", "forbid", "can't", True),
        ("You may send gifts.", "permit", "may", False),
        ("You must verify your identity.", "require", "must", False),
        ("You don't need to verify your identity.", "permit", "don't need to", True),
        ("Verification is optional.", "permit", "optional", False),
        ("Gifts appear in LIVE.", "none", "", False),
    ],
)
def test_modality(text: str, modality: str, modal: str, negated: bool) -> None:
    facts = extract_facts(text)
    assert (facts.modality, facts.modal, facts.negated) == (modality, modal, negated)


def test_scope_and_regions() -> None:
    facts = extract_facts("Gifts are only available in the European Union and the UK, except in Germany.")
    assert facts.scope == {"only", "except"}
    assert facts.regions == {"EU", "UK"} and facts.excluded == {"Germany"}  # where it is not available
    assert extract_facts("Contact us anywhere, worldwide.").regions == frozenset()
    regions = extract_facts("Available in the US, South Korea and the EEA.").regions
    assert regions == {"US", "South Korea", "EEA"}


@pytest.mark.parametrize(
    ("policy", "article"),
    [
        ("You must be at least 18 years old to go LIVE.", "You must be over 18 to go LIVE."),
        ("You must be at least 18 years old to go LIVE.", "Creators 18 or older can go LIVE."),
        ("You must be at least 18 years old to go LIVE.", "LIVE is for 18+ creators."),
        ("You must be over 18 to go LIVE.", "LIVE is for 18+ creators."),
        ("Appeal within 30 days of the decision.", "You have one month to appeal."),
        ("Appeal within 2 weeks.", "Appeal within 14 days."),
        ("Data is kept for 12 months.", "Data is kept for a year."),
        ("Gifts are not permitted in LIVE.", "Gifts are prohibited in LIVE."),
        ("Gifts are not permitted in LIVE.", "Gifts are not allowed in LIVE."),
        ("Payouts start at USD 50.", "Payouts start at $50."),
        ("Payouts start at USD 50.", "Payouts start at EUR 50."),  # different currencies: not comparable
        ("Refunds take 10 business days.", "Refunds take 10 days."),  # business days vs days: not comparable
        ("Teens aged 13 to 17 get private accounts.", "Teens aged 13-17 get private accounts."),
        ("Appeal within 30 days, or 90 days for bans.", "You can appeal a ban within 90 days."),
        ("Gifts are available only in the EU.", "Gifts are available in Germany."),
    ],
)
def test_no_difference(policy: str, article: str) -> None:
    assert differences(policy, article) == []


@pytest.mark.parametrize(
    ("policy", "article", "kind", "policy_says", "article_says"),
    [
        ("Appeal within 90 days.", "Appeal within 120 days.", "duration", "90 days", "120 days"),
        ("You must be 18 years old to go LIVE.", "Be at least 16 to go LIVE.", "age", "18 years", "16 years"),
        ("Payouts start at USD 50.", "Payouts start at USD 40.", "amount", "USD 50", "USD 40"),
        ("You need 1,000 followers.", "You need 500 followers.", "count", "1,000 followers", "500 followers"),
        ("Refunds take 10 business days.", "Refunds take 7 business days.", "duration", "10 business days",
         "7 business days"),
        ("We keep 20% of gift revenue.", "We keep 30 percent of gift revenue.", "percentage", "20%", "30%"),
        ("Appeal in 30 days, or 90 for bans.", "Appeal in 60 days.", "duration", "30 days", "60 days"),
        ("Appeal within 30 days, or 90 days for bans.", "Appeal within 60 days.", "duration",
         "30 days or 90 days", "60 days"),
        ("You may send gifts in LIVE.", "You may not send gifts in LIVE.", "permission", "may", "may not"),
        ("You must verify your identity.", "You don't need to verify your identity.", "permission", "must",
         "don't need to"),
        ("Gifts are available only in the EU.", "Gifts are available anywhere in the world.", "scope",
         "only EU", "anywhere"),
        ("Gifts are available in the US.", "Gifts are available in Japan.", "scope", "US", "Japan"),
    ],
)
def test_one_difference(policy: str, article: str, kind: str, policy_says: str, article_says: str) -> None:
    assert differences(policy, article) == [
        Difference(kind, policy_says, article_says, f"policy: {policy_says}; article: {article_says}")
    ]


def test_agreeing_quantities() -> None:
    policy = extract_facts("Creators need 1,000 followers and at most 5 active strikes within 90 days.")
    article = extract_facts("You need 1,000 followers, fewer than 3 strikes, and must wait 3 months.")
    assert agreeing_quantities(policy, article) == 2  # 1,000 followers; 3 months == 90 days
    assert [d.kind for d in compare(policy, article)] == ["count"]


@pytest.mark.parametrize("text, values", [
    ("Strikes now expire after 90 days instead of 120 days.", [90.0]),
    ("Refunds take 14 days (previously 30 days).", [14.0]),
    ("The appeal window was reduced from 180 days to 90 days.", [90.0]),
    ("We raised the threshold from 500 to 1,000 followers.", [1000.0]),
    ("Strikes expire after 120 days.", [120.0]),
])
def test_a_replaced_value_is_history_not_the_rule(text: str, values: list[float]) -> None:
    assert [q.high for q in extract_facts(text).quantities] == values
    assert all(q.low == q.high for q in extract_facts(text).quantities)


def test_a_change_note_contradicts_the_old_value_and_supports_the_new() -> None:
    note = extract_facts("Strikes now expire after 90 days instead of 120 days.")
    assert [d.kind for d in compare(note, extract_facts("A strike expires after 120 days."))] == ["duration"]
    assert compare(note, extract_facts("A strike expires after 90 days.")) == []


def test_a_list_lead_in_states_no_rule_by_itself() -> None:
    assert extract_facts("Hosts, guests and LIVE moderators must not:").modality == "none"
    assert extract_facts("Hosts must not share their screen.").modality == "forbid"
    assert compare(extract_facts("Hosts, guests and LIVE moderators must not:"),
                   extract_facts("Hosts can appoint moderators for their LIVE.")) == []


def test_agreeing_kinds_names_the_kinds_of_the_numbers_that_agree() -> None:
    from consistency.facts import agreeing_kinds

    article = extract_facts("Rewards are withheld when more than 25% of views in 30 days are fake.")
    policy = extract_facts("If more than 10% of views in a 30-day period are fake, rewards are withheld.")
    assert agreeing_kinds(policy, article) == {("duration", 0.0)}
    assert [d.kind for d in compare(policy, article)] == ["percentage"]


@pytest.mark.parametrize("text, value, unit", [
    ("The 1,000-follower threshold is checked each time a broadcast starts.", 1000.0, "follower"),
    ("A 3-strike limit applies.", 3.0, "strike"),
])
def test_hyphenated_counts_are_counts(text: str, value: float, unit: str) -> None:
    [q] = extract_facts(text).quantities
    assert (q.kind, q.low, q.unit) == ("count", value, unit)


@pytest.mark.parametrize(("text", "low", "bound"), [
    ("In South Korea, the restriction applies to viewers under 19.", 19, "max"),
    ("Sellers under 18 cannot open a shop.", 18, "max"),
    ("Users can send Gifts as soon as they turn 18.", 18, "min"),
])
def test_more_ways_of_stating_an_age(text: str, low: float, bound: str) -> None:
    q = only_quantity(text)
    assert (q.kind, q.low, q.bound) == ("age", low, bound)


def test_an_age_label_is_a_name_not_an_age() -> None:
    assert extract_facts("Videos with an 18+ label are hidden from teens.").quantities == ()
    assert only_quantity("18+ labelled content is shown only to viewers aged 19 or older.").low == 19


@pytest.mark.parametrize(("policy", "article"), [
    ("Publishing a private individual's home address is a violation even if it can be found online.",
     "Sharing someone's home address is fine as long as it can be found online."),
    ("Posting a private phone number is against our rules.", "It's okay to post a private phone number."),
])
def test_judgements_work_as_modals(policy: str, article: str) -> None:
    assert [d.kind for d in differences(policy, article)] == ["permission"]


def test_judgements_that_agree_do_not_conflict() -> None:
    assert differences("Sharing a home address is a violation.", "Sharing a home address is not okay.") == []


@pytest.mark.parametrize(("header", "cell", "read"), [
    ("Minimum age to send Gifts", "19", "Minimum age to send Gifts: aged 19 or older"),
    ("Receive Gifts", "20+", "Receive Gifts: 20+"),  # "20+" already reads as an age
    ("Age checked", "18", "Age checked: aged 18"),
    ("Follower minimum", "1,000", "Follower minimum: at least 1,000 followers"),
    ("Payout currency", "USD", "Payout currency: USD"),
    ("Limit per hour", "30", "Limit per hour: 30"),
])
def test_a_table_cell_is_read_with_its_header(header: str, cell: str, read: str) -> None:
    assert read_cell(header, cell) == read


def test_a_bare_number_under_an_age_header_is_an_age() -> None:
    assert only_quantity(read_cell("Minimum age to send Gifts", "19")).kind == "age"
    assert only_quantity(read_cell("Follower minimum", "1,000")).unit == "follower"
    assert extract_facts("Minimum age to send Gifts | 19").quantities == ()  # without the reading, no unit


@pytest.mark.parametrize(("policy", "article", "reason"), [
    ("Accounts of users aged 13 to 15 are private by default.", "Accounts of users aged 13 to 15 are public by default.",
     "policy: private; article: public"),
    ("The Gift panel is switched off in their LIVE room.", "The Gift panel is turned on in their LIVE room.",
     "policy: off; article: on"),
    ("A third severe violation leads to a permanent ban.", "A third severe violation leads to a temporary ban.",
     "policy: permanent; article: temporary"),
])
def test_opposed_states_differ(policy: str, article: str, reason: str) -> None:
    assert [d.reason for d in differences(policy, article) if d.kind == "state"] == [reason]


def test_states_are_not_read_from_nouns_or_from_both_poles() -> None:
    # "private individual" and "public figure" name subjects, not a setting.
    assert differences("Sharing a private individual's address is a violation.",
                       "Sharing a public figure's address is a violation.") == []
    # A sentence naming both poles sets neither.
    assert differences("Accounts are private by default and can be made public.",
                       "Accounts are public by default.") == []


@pytest.mark.parametrize(("policy", "article", "flipped"), [
    ("Simply re-entering a date of birth does not unlock the account.", "Re-entering your birthday can unlock it.",
     "unlock"),
    ("Users under 16 have no access to direct messages.", "Users under 16 can access direct messages.", "access"),
    ("A copyright strike does not count toward the totals.", "A copyright strike counts toward the totals.", "count"),
    ("A copyright strike does not count toward the totals.", "A copyright strike doesn't count toward them.", None),
    # A pronoun names who, not what: "can't get you back" negates "back", which the policy does not state.
    ("GitHub Support can get you into your account.", "GitHub Support can't get you back into your account.", None),
    # A shared denial does not hide a flipped one.
    ("GitHub does not refund fees, and unused credits do not roll over.",
     "GitHub refunds fees, but unused credits do not roll over.", "refund"),
    # Two denials of different words: a flip only where the article denies what the policy states.
    ("Accounts are owned by individuals, not by organizations.",
     "An account belongs to the company, not to any individual person.", "individu"),
    # "won't be able to restore" negates "restore"; and two denials of different words differ in wording only.
    ("GitHub Support can restore your account.", "GitHub Support won't be able to restore it.", "restor"),
    ("GitHub will not disable forks when disabling a repository.",
     "GitHub won't turn off forks when it disables the repository.", None),
    # The statement negates "log in", which the policy never mentions: no flip.
    ("If your account is banned, you can appeal through the web form.", "If you can't log in, use the web form.",
     None),
])
def test_a_word_negated_on_one_side_only_is_a_flip(policy: str, article: str, flipped: str | None) -> None:
    assert negation_flip(policy, article) == flipped


def test_listed_regions_restrict_scope() -> None:
    policy = "Creators must have an account registered in an eligible region listed in 2.2."
    assert [d.reason for d in differences(policy, "Creators in every country can join.")] == [
        "policy: listed; article: every"]
    # "regions not listed" is often where the default rule applies, not a restriction.
    assert differences("The global row applies in all regions not listed below.", "It applies in every region.") == []


def test_a_negated_universal_claims_no_universal_scope() -> None:
    assert extract_facts("Individual states don't all recognize federal exemptions.").scope == frozenset()
    assert extract_facts("Not every plan includes the SLA.").scope == frozenset()
    assert extract_facts("Every plan includes the SLA.").scope == {"every"}
    # So a US-only rule does not conflict with a sentence that denies a universal one.
    assert differences("Tax exemptions are handled per state in the US.", "States don't all accept them.") == []


@pytest.mark.parametrize(("text", "kind", "low", "unit"), [
    ("Appeals must be filed within half a year.", "duration", 180, "day"),
    ("You can join once you're 16.", "age", 16, "year"),
    ("I'm 17 and want to go LIVE.", "age", 17, "year"),
])
def test_half_a_year_and_contracted_ages(text: str, kind: str, low: float, unit: str) -> None:
    q = extract_facts(text).quantities[0]
    assert (q.kind, q.low, q.unit) == (kind, low, unit)


def test_half_a_year_agrees_with_six_months() -> None:
    assert [q.low for q in extract_facts("a half-year review").quantities] == [180]
    assert all(q.low != 180 for q in extract_facts("Data is kept for one and a half years.").quantities)
    assert differences("Appeals are accepted within six months.", "You have half a year to appeal.") == []


def test_a_duration_that_divides_a_number_is_a_rate() -> None:
    q = extract_facts("You can message up to 25 new accounts an hour.").quantities
    assert [(x.kind, describe(x)) for x in q] == [("count", "25 accounts per hour")]
    assert [x.kind for x in extract_facts("Limit per 24 hours: 200").quantities] == ["rate"]
    # A rate is never compared with a period ("30 days" is not "an hour")...
    assert differences("Accounts may lose messaging for 30 days.", "You can message 25 accounts an hour.") == []
    # ... but a period stays a period ("in a 30-day period", "reviews take a week").
    assert [x.kind for x in extract_facts("more than 10% of views in a 30-day period").quantities] == [
        "percentage", "duration"]
    assert [x.kind for x in extract_facts("Reviews take a week.").quantities] == ["duration"]


def test_each_count_keeps_its_own_period() -> None:
    q = extract_facts("You can follow up to 30 accounts an hour and 500 accounts a day.").quantities
    assert [describe(x) for x in q] == ["30 accounts per hour", "500 accounts per day"]
    assert [describe(x) for x in extract_facts("a fee of USD $125/hour").quantities] == ["USD 125 per hour"]
    # A table cell takes its period from the header and its noun from the row.
    cell = read_cell("Limit per 24 hours", "200", "Follow accounts")
    assert "200 accounts per day" in [describe(x) for x in extract_facts(cell).quantities]
    # A count per hour is compared only with counts per hour: 30 an hour agrees, 500 a day does not.
    policy = extract_facts("Limits: 30 accounts per hour; 200 accounts per 24 hours.")
    article = extract_facts("You can follow up to 30 accounts an hour and 500 accounts a day.")
    assert [d.reason for d in compare(policy, article)] == ["policy: 200 accounts per day; article: 500 accounts per day"]
    assert agreeing_kinds(policy, article) == {("count", 1 / 24)}


def test_a_count_within_a_window_has_that_period_and_any_is_no_scope() -> None:
    # "in any 12-month period" is the window of a count, compared with "per 12-month period"; "any" there is no scope.
    policy = "Right to a Timely Response: You are allowed to make two free requests in any 12-month period."
    article = "If you live in a US state, GitHub lets you make up to three free privacy requests per 12-month period."
    assert [describe(q) for q in extract_facts(policy).quantities] == ["2 requests in 365 days", "365 days"]
    assert extract_facts(policy).scope == frozenset()
    assert [d.reason for d in differences(policy, article)] == [
        "policy: 2 requests in 365 days; article: 3 requests per year"]
    assert extract_facts("Any user may appeal.").scope == frozenset({"any"})
    # "times" over a period counts what the sentence does: 2 times in any 30 days is 2 requests in them.
    policy = "A user may make up to 2 download requests in any 30-day period."
    assert differences(policy, "You can request a copy of your data up to 2 times in any 30-day period.") == []
    assert [d.kind for d in differences(policy, "You can request a copy up to 4 times in any 30-day period.")] == [
        "count"]
    # A count within a window is a count over that period; the same number over another period differs.
    assert [describe(q) for q in extract_facts("Accounts with 2 chargebacks within 12 months are blocked.").quantities
            ] == ["2 chargebacks in 365 days", "365 days"]
    assert [d.reason for d in differences("Delete 3 videos within 24 hours.", "You can post 3 videos within 48 hours.")
            ] == ["policy: 3 videos in 1 day; article: 3 videos in 2 days", "policy: 1 day; article: 2 days"]
    # ... but only with counts over the same period, whichever side states the times (review, session 12).
    policy = "You can change your username 2 times in any 30-day period."
    assert differences(policy, "You can change it twice in 30 days, and it can be up to 24 characters long.") == []
    assert differences(policy, "You can request a data export, which contains up to 10 files.") == []
    assert differences("Each user gets 3 appeals within 30 days.", "You can appeal 2 times.") == []
    assert differences("You can appeal 2 times.", "Each user gets 3 appeals within 30 days.") == []
    assert agreeing_quantities(extract_facts(policy), extract_facts("You can link 2 accounts to your profile.")) == 0
    assert [d.reason for d in differences("You can go LIVE 3 times in a 24-hour period with up to 5 guests.",
                                          "You can add up to 4 guests to a LIVE.")] == ["policy: 5 guests; article: 4 guests"]
    # "any" before a number is no scope only in a window: "any 12-month plan" is every such plan.
    assert [d.reason for d in differences("Refunds are available only for annual plans.",
                                          "Refunds are available for any 12-month plan.")] == ["policy: only; article: any"]
    # Without a period, "times" is compared only with times.
    assert differences("You can appeal 2 times.", "Each user gets 3 appeals.") == []


def test_a_clause_number_is_not_a_quantity_and_scale_words_multiply() -> None:
    def described(text: str) -> list[str]:
        return [describe(q) for q in extract_facts(text).quantities]

    assert described("5.1 Diamonds become available for redemption 7 days after the Gift is received.") == ["7 days"]
    assert described("3.2.1 Freeze 20 accounts.") == ["20 accounts"]
    assert described("1.5 million views count.") == ["1,500,000 views"]
    assert described("Payouts above USD 2 thousand are reviewed.") == ["USD 2,000"]
    sentence = "5.1 Diamonds become available 7 days after the Gift is received."
    q = extract_facts(sentence).quantities[0]
    assert sentence[q.start:q.end] == "7 days"  # offsets still point into the original sentence
    assert described("over 8\u00a0million visitors") == described("8\nmillion visitors") == ["8,000,000 visitors"]


def test_a_statement_extending_a_rule_to_another_region_changes_its_scope() -> None:
    policy = "Users in the European Union can refer a decision to a dispute settlement body."
    wider = "Users in the European Union and the United Kingdom can refer a decision to a dispute settlement body."
    assert [d.kind for d in differences(policy, wider)] == ["scope"]
    # Naming fewer of the policy's regions is still true of them; a member state is inside the EU.
    assert differences(wider, policy) == []
    assert extract_facts("Users in the EU can withdraw amounts over US$ 50.").regions == {"EU"}  # US$ is money
    assert differences(policy, "Users in Germany can refer a decision to a dispute settlement body.") == []


@pytest.mark.parametrize("article", [
    "You're free to reuse our HTML in your own projects.",
    "You're welcome to reuse our HTML in your own projects.",
    "We don't mind if you reuse our HTML in your own projects; no prior permission is needed.",
])
def test_plain_words_for_permission_flip_a_prohibition(article: str) -> None:
    policy = "You may not reuse any portion of the HTML in your own projects."
    assert [d.kind for d in differences(policy, article)] == ["permission"]


def test_without_asking_permits_only_when_nothing_forbids() -> None:
    assert extract_facts("Attendees may be photographed without asking first.").modality == "permit"
    assert extract_facts("You may not use the logos without asking for permission first.").modality == "forbid"
    assert extract_facts("Do not repost other people's content without asking first.").modality == "forbid"
    assert extract_facts("The app is free to download.").modality == "none"  # a price, not a permission
    assert extract_facts("No prior permission is required to link to us.").modality == "permit"


def test_free_and_paid_accounts_are_different_scopes() -> None:
    policy = "For paid organizational accounts in these regions, public repositories are downgraded to archives."
    assert [d.reason for d in differences(policy, "Free organization accounts in these regions have public "
                                                  "repositories downgraded to archives.")] == ["policy: paid; article: free"]
    assert differences(policy, "Paid organization accounts in these regions have public repositories downgraded "
                               "to archives.") == []
    # A sentence naming both tiers sets neither, in either order; fees "paid by" customers and a "toll-free"
    # line name no tier.
    assert differences("Free and paid accounts are downgraded to archives.", "Free accounts are downgraded.") == []
    assert differences("Paid and free accounts are downgraded to archives.", "Paid accounts are downgraded.") == []
    assert extract_facts("Fees paid by customers are not refunded.").states == ()
    assert extract_facts("Call our toll-free customer line.").states == ()


def test_a_number_in_a_product_name_is_not_a_count() -> None:
    def counts(text: str) -> list[str]:
        return [q.text for q in extract_facts(text).quantities]

    assert counts("Adding a new owner to a Basecamp 4 account is free.") == []
    assert counts("A Basecamp 4 account can have 3 owners.") == ["3 owners"]
    assert counts("In Japan 20 accounts are allowed.") == ["20 accounts"]  # a region is no name of a thing
    assert counts("On Clipwave 500 followers are needed.") == ["500 followers"]  # a count of many is a count


def test_legal_style_numbers_and_nobody() -> None:
    q = extract_facts("You will pay all amounts due within thirty (30) days of the invoice.").quantities
    assert [(describe(x), x.text) for x in q] == [("30 days", "within thirty (30) days")]
    sentence = "Pay the invoice in thirty (30) days."
    [x] = extract_facts(sentence).quantities
    assert sentence[x.start:x.end] == x.text == "thirty (30) days"
    [x] = extract_facts("Send up to twenty (20) requests per hour.").quantities
    assert x.text == "up to twenty (20) requests per hour" and describe(x) == "20 requests per hour"
    assert differences("You will pay all amounts due within thirty (30) days of the invoice.",
                       "Invoices must be paid within 60 days.")[0].reason == "policy: 30 days; article: 60 days"
    assert extract_facts("If no one else has claimed the name, you can register it.").modality == "permit"
    nobody = extract_facts("Nobody under 18 can receive money through GitHub Sponsors.")
    assert nobody.modality == "forbid" and [describe(x) for x in nobody.quantities] == ["18 years"]
    assert [d.kind for d in differences("If you are under 18, you can receive Sponsor funds.",
                                        "Nobody under 18 can receive Sponsor funds.")] == ["permission"]


def test_visitors_per_month_and_arbitrators_are_counted() -> None:
    policy = "If your content appears on sites with over 8 million unique visitors per month, contact us."
    article = "Get in touch if your content appears on sites with more than 5 million unique visitors a month."
    assert [d.reason for d in differences(policy, article)] == [
        "policy: 8,000,000 visitors per month; article: 5,000,000 visitors per month"]
    assert [d.reason for d in differences("The dispute is heard by three arbitrators.",
                                          "The dispute is heard by one arbitrator.")] == [
        "policy: 3 arbitrators; article: 1 arbitrator"]


def test_a_bound_between_the_number_and_its_noun() -> None:
    assert [(q.kind, q.low, q.unit, q.bound) for q in extract_facts(
        "5 or more accounts targeting the same person within a 24-hour period").quantities] == [
        ("count", 5, "account", "min"), ("duration", 1, "day", "exact")]
    fewer, more = only_quantity("3 or fewer strikes"), only_quantity("30 or more days")
    assert (describe(fewer), fewer.bound) == ("3 strikes", "max")
    assert (more.kind, more.bound) == ("duration", "min")
    assert only_quantity("2 or more business days").unit == "business day"
    assert [d.reason for d in differences("A hate raid is when 10 or more accounts target the same person.",
                                          "A raid is when 5 or more accounts target the same person.")] == [
        "policy: 10 accounts; article: 5 accounts"]


@pytest.mark.parametrize("policy, article", [
    ("You must request permission to use the Company's logos for promotional purposes.",
     "You can use the logos to promote your work without asking for permission."),
    # an item of a list of prohibitions
    ("Photography or recording of event participants without their consent",
     "Attendees are free to photograph other participants without asking for their consent."),
    ("To use any robot or crawler to monitor or copy content without our prior express written permission;",
     "You can point a crawler at the service to copy its content; no prior permission is needed."),
])
def test_whether_permission_is_needed_is_compared(policy: str, article: str) -> None:
    assert [d.reason for d in differences(policy, article) if d.kind == "state"] == [
        "policy: permission needed; article: no permission needed"]


@pytest.mark.parametrize("policy, article", [
    ("Reposting requires our written permission.", "You may not repost it without our written permission."),
    ("You don't need our permission to quote a post.", "You can quote a post without asking for permission."),
])
def test_the_same_need_for_permission_in_other_words_agrees(policy: str, article: str) -> None:
    assert not [d for d in differences(policy, article) if d.kind == "state"]


def test_free_to_is_a_permission_not_a_price() -> None:
    assert ("price", "free") not in extract_facts("Attendees are free to take photos.").states
    assert ("price", "free") in extract_facts("Basic accounts are free.").states


def test_advice_made_a_requirement_is_a_conflict() -> None:
    advice = "A great first step before sending us a request is to try contacting the user directly."
    rule = "Before sending a request, you're required to contact the user directly."
    assert extract_facts(advice).modality == "advise"
    assert [d.kind for d in differences(advice, rule)] == ["permission"]
    assert [d.kind for d in differences("We recommend that you turn on two-factor authentication.",
                                        "You must turn on two-factor authentication.")] == ["permission"]
    # A company's own suggestion in an article is not a user's rule weakened: only advice made a rule is flagged.
    assert not differences(rule, "We suggest contacting the user directly before sending a request.")


def test_an_outright_permission_differs_only_from_a_need_for_permission() -> None:
    policy = "Republishing the material on another blog without permission from the copyright holder will result " \
             "in the suspension of your account."
    assert [d.reason for d in differences(policy, "You're free to repost the material on another blog.")] == [
        "policy: permission needed; article: allowed"]
    # Allowed outright and allowed without asking say the same; a permission given on request is not outright.
    assert not differences("You can quote a post.", "You can quote a post without asking for permission.")
    assert not [d for d in differences(policy, "You can repost the material once the copyright holder agrees.")
                if d.kind == "state"]


def test_whenever_claims_every_case() -> None:
    assert [d.kind for d in differences(
        "We comply with requests to preserve data only if compelled by law.",
        "We preserve a customer's data whenever a law enforcement agency asks us to by email.")] == ["scope"]


def test_a_number_that_agrees_about_something_else_does_not_hide_a_conflict() -> None:
    def check(policy: str, article: str) -> set[str]:
        return set(misaligned(policy, extract_facts(policy), article, extract_facts(article)))

    policy = "A platform fee of 3% per order is deducted from the seller's balance."
    # The article's 5% is the platform fee per order; its 3% is a surcharge for cards.
    assert check(policy, "Sellers pay a 5% platform fee per order, plus an extra 3% if buyers pay by card.") == {"5%"}
    # Two deadlines, one agreeing: the other is another point, not a conflict ("appeal within 180 days, decided
    # within 7").
    assert check("An appeal submitted after 180 days is closed without review.",
                 "If we restrict your LIVE, you can appeal within 180 days, and we aim to review appeals within 7 "
                 "days.") == set()


def test_short_durations_are_described_in_minutes_and_seconds() -> None:
    assert [describe(q) for q in extract_facts(
        "Ads can be skipped after 5 seconds; review takes 30 minutes or 1.5 hours.").quantities] == [
        "5 seconds", "30 minutes", "1.5 hours"]


def test_a_period_named_before_a_limit_is_its_period() -> None:
    policy = "During the first 30 days, the daily limit is USD 100 and the monthly limit is USD 500."
    assert [describe(q) for q in extract_facts(policy).quantities] == [
        "30 days", "USD 100 per day", "USD 500 per month"]
    article = "New accounts can buy up to USD 500 worth of Coins a day."
    assert [describe(q) for q in extract_facts(article).quantities] == ["USD 500 per day"]
    assert [d.reason for d in differences(policy, article)] == [
        "policy: USD 100 per day; article: USD 500 per day"]


def test_a_full_year_and_as_many_as() -> None:
    assert describe(only_quantity("after a full year without a report")) == "365 days"
    assert (describe(only_quantity("link as many as 5 teen accounts")), only_quantity("as many as 5 teens").bound) \
        == ("5 accounts", "max")
    assert not extract_facts("You get a full refund.").quantities


@pytest.mark.parametrize("text, modality, leave", [
    ("You don't have to ask for permission to quote a post.", "permit", "no permission needed"),
    ("Quoting doesn't require permission.", "permit", "no permission needed"),
    ("Once approved, you can use the API.", "permit", None),  # allowed after an approval: not outright
    ("Members can recommend other creators.", "permit", "allowed"),  # "can recommend" is no advice
    ("We will advise you by email.", "none", None),
    ("Nobody's perfect, so you can appeal a strike.", "permit", "allowed"),
    ("No one is required to turn on two-step verification.", "permit", "allowed"),
])
def test_leave_advice_and_nobody_in_context(text: str, modality: str, leave: str | None) -> None:
    facts = extract_facts(text)
    assert facts.modality == modality
    assert dict(facts.states).get("leave") == leave


def test_full_business_days_and_a_plan_limit() -> None:
    assert [describe(q) for q in extract_facts("Refunds arrive within 5 full business days.").quantities] == [
        "5 business days"]
    assert [describe(q) for q in extract_facts("The annual plan limit is 10 seats.").quantities] == ["10 seats"]


def test_the_kind_of_account_a_rule_is_for() -> None:
    assert [d.reason for d in differences("Personal accounts can use commercial sounds.",
                                          "Business accounts can use commercial sounds.")] == [
        "policy: personal; article: business"]
    # naming both kinds sets neither
    assert not differences("Personal accounts can post.", "Business and personal accounts can post.")


def test_numbers_far_apart_are_about_different_things() -> None:
    from consistency.facts import same_scale

    review, skip = extract_facts("Ad review takes up to 24 hours."), extract_facts("Ads can be skipped after 5 seconds.")
    assert not same_scale(review, skip)
    assert same_scale(extract_facts("Appeals are decided within 7 days."),
                      extract_facts("Appeals are decided within 30 days."))


def test_of_the_policys_numbers_the_one_on_the_articles_point_decides() -> None:
    policy = "Sellers get 14 days to ship an order, and buyers get 30 days to return an item."
    article = "Buyers get 14 days to return an item."
    found = misaligned(policy, extract_facts(policy), article, extract_facts(article))
    assert [d.reason for d in found.values()] == ["policy: 30 days; article: 14 days"]
    assert not misaligned(policy, extract_facts(policy), "Sellers get 14 days to ship an order.",
                          extract_facts("Sellers get 14 days to ship an order."))


def test_what_a_number_quantifies_reaches_past_a_few_words() -> None:
    # "custom playlist ... created" is eight words before the 10: what it counts is said early in the clause.
    policy = ("A custom playlist created by a creator must contain at least 10 videos before it can be featured, "
              "and a collab playlist needs a seed of at least 3 videos.")
    article = "Creators can get a custom playlist they created featured as soon as it has 3 videos."
    found = misaligned(policy, extract_facts(policy), article, extract_facts(article))
    assert [d.reason for d in found.values()] == ["policy: 10 videos; article: 3 videos"]


def test_who_a_rule_is_for() -> None:
    assert [d.reason for d in differences("Parents can see which accounts their teen follows.",
                                          "Teens can see which accounts their parents follow.")] == [
        "policy: parent; article: teen"]
    # the main clause's subject, not a condition's; a sentence with two subjects sets neither
    assert dict(extract_facts("If you are a teen, your parent or guardian can turn on Family Pairing.").states)[
        "actor"] == "parent"
    assert not differences("A parent can link up to 5 teen accounts.",
                           "Each teen can have two parents, and one parent can link five teens.")


def test_a_fortnight_half_a_million_and_wont_be_able_to() -> None:
    assert describe(only_quantity("Limit mode can stay on for up to a fortnight.")) == "14 days"
    assert describe(only_quantity("Your balance can't go above half a million Coins.")) == "500,000 coins"
    assert extract_facts("You won't be able to start another LIVE for three days.").modality == "forbid"


def test_a_negation_over_coordinated_predicates_forbids() -> None:
    facts = extract_facts("GitHub Pages is not intended for or allowed to be used as a free web hosting service.")
    assert facts.modality == "forbid"
    assert not [d for d in differences("GitHub Pages is not intended for or allowed to be used as free hosting "
                                       "for an online store.", "Pages can't be used as free hosting for an online "
                                       "store.") if d.kind == "permission"]


def test_a_contracted_not_before_allowed_forbids() -> None:
    assert extract_facts("Buying or selling a username isn't allowed.").modality == "forbid"
    assert extract_facts("Teens aren't permitted to go LIVE.").modality == "forbid"
    assert not [d for d in differences("Attempts to buy or sell usernames are prohibited.",
                                       "Buying or selling a username isn't allowed.") if d.kind == "permission"]


def test_notice_before_an_action_against_none() -> None:
    (diff,) = differences("We will make a reasonable attempt to warn you via email prior to suspension.",
                          "GitHub may suspend your API access without any attempt to warn you first.")
    assert diff.reason == "policy: notice first; article: without notice"
    assert differences("We may suspend accounts without notice.", "We will notify you before we suspend it.")
    assert not differences("We may remove content without notice.", "Content can be removed without prior notice.")
    # Naming both ("without notice, though we try to warn you before") sets neither.
    assert not differences("We may act without notice, though we try to warn you before we do.",
                           "We will warn you before we act.")
    # A promise not to warn is no promise to warn; a person's duty to tell us is not our notice to them.
    assert not differences("We will not warn you before suspending an account.",
                           "Accounts may be suspended without warning.")
    assert not differences("You must tell us before you cancel.", "We may suspend accounts without notice.")
    assert differences("We may terminate without further notice.", "We will notify you before we terminate.")
    # A denied "without notice" is notice first; "without notifying us" is a step the person skips.
    assert not differences("We will warn you by email before we suspend your account.",
                           "We never suspend your account without warning you first.")
    assert not differences("You must give 30 days notice before cancelling.",
                           "You can cancel at any time without notifying us.")


def test_asking_for_consent_before_acting_needs_leave() -> None:
    (diff,) = differences("If we need to access your content for a support case, we will ask for your consent "
                          "before proceeding.", "Our team may look inside your account without asking you first.")
    assert diff.reason == "policy: permission needed; article: no permission needed"
    assert not differences("We'll always ask for your permission before accessing your account.",
                           "We need your permission before we access your account.")
    assert not differences("Invited collaborators will get write permission to the repository.",
                           "Collaborators can push without asking for approval.")


def test_a_multiple_is_its_own_kind_of_number() -> None:
    assert describe(only_quantity("We credit your account 10x the hourly rate.")) == "10 times"
    assert not [q for q in extract_facts("Upload a 1080 x 1920 video at 2x speed.").quantities if q.kind == "multiple"]
    assert not extract_facts("Upload a 1080x1920 video.").quantities
    (diff,) = differences("We'll credit your account 10x the hourly rate.", "We credit your account 5x the hourly rate.")
    assert diff.reason == "policy: 10 times; article: 5 times"
    assert not differences("We credit your account 10x the hourly rate.", "You can claim a credit 3 times.")
    (diff,) = differences("We credit 3x the daily rate.", "We credit ten times the daily rate.")
    assert diff.reason == "policy: 3 times; article: 10 times"


def test_a_condition_reversed_is_a_conflict_and_a_negated_if_is_an_unless() -> None:
    from consistency.facts import wording_flip

    restored = "We restore the video 10 business days later if they tell us they have started court action."
    assert wording_flip("We restore the video after 10 business days, unless they tell us they have started court "
                        "action.", restored).reason == "policy: unless; article: if"
    assert wording_flip("If they do not tell us within 10 business days that they have started court action, we "
                        "restore the video.", restored).reason == "policy: if not; article: if"
    # Two ways of saying the same condition, and an "unless ..., in which case" that names another case.
    assert wording_flip("If the claimant does not respond with legal action, we restore the post.",
                        "We restore the post unless the claimant responds with legal action.") is None
    assert wording_flip("File in the user's district, unless the address is outside the US, in which case file in "
                        "ours.", "If the address is outside the US, file in our district.") is None
    # "Not X unless C" is "X if C"; a condition on another rule ("retain ... unless" vs "delete ... if") is none.
    assert wording_flip("You may not use the Services unless you are at least 13.",
                        "You can use the Services if you are at least 13.") is None
    assert wording_flip("Your plan renews automatically unless you turn off auto-renew before the period ends.",
                        "If you turn off auto-renew before the period ends, your plan won't renew.") is None
    assert wording_flip("We retain your data unless you request deletion.",
                        "We delete your data if you request deletion.") is None


def test_discretion_made_certain_and_alternatives_made_a_combination() -> None:
    from consistency.facts import wording_flip

    assert wording_flip("Gifts sent with those Coins may be reversed.",
                        "Gifts you sent with those Coins will be reversed.").reason == "policy: may; article: will"
    assert wording_flip("We will review it within 7 days.", "We'll review it within 7 days.") is None
    # A person's permission ("you may delete") is not the organisation's discretion.
    assert wording_flip("You may delete your account at any time.",
                        "When you delete your account, we'll delete your posts too.") is None
    assert wording_flip("You may appeal within 30 days.", "You can appeal within 30 days.") is None
    assert wording_flip("The account needs a verified phone number or email address.",
                        "The account needs both a verified phone number and a verified email address."
                        ).reason == "policy: number or email; article: number and email"
    assert wording_flip("Sellers must have a tax number and a bank account.",
                        "Sellers must have a tax number or a bank account."
                        ).reason == "policy: number and bank; article: number or bank"
    # A permission's "and" and "or" agree; a hedged promise ("may" for "will") is not flagged.
    assert wording_flip("You may copy and distribute the logo.", "You may copy or distribute the logo.") is None
    # A ban on "A or B" bans both; eligibility lists who qualifies; the pair must follow the requirement word.
    assert wording_flip("You must not harass or bully other users.", "You must not harass and bully them.") is None
    assert wording_flip("To join you must be a resident of France or Germany.",
                        "The program is open to residents of France and Germany.") is None
    assert wording_flip("We collect your name and email address, and you must choose a password.",
                        "We collect your name or email address.") is None
    assert wording_flip("We will review your appeal.", "We may review your appeal.") is None
    assert wording_flip("Photos or videos can be reported.", "Photos or videos can be reported.") is None


def test_only_before_a_number_stresses_it_and_stopping_is_not_stating() -> None:
    assert "only" not in extract_facts("The grace period is only available once in any 12-month period.").scope
    assert "only" not in extract_facts("You can only change it 2 times a year.").scope
    assert "only" in extract_facts("Gifts are available only to users 18 or older.").scope  # who, not how often
    assert "only" in extract_facts("Only verified sellers may list items.").scope
    assert not differences("The grace period is available once in any 12-month period.",
                           "That grace period is only available once in any 12-month stretch.")
    assert negation_flip("When a strike expires it no longer counts towards any threshold.",
                         "Strikes lapse after 90 days and then stop counting toward any threshold.") is None
    assert negation_flip("When a strike expires it no longer counts towards any threshold.",
                         "Expired strikes still count toward every threshold.") == "count"
    assert negation_flip("You can stop sharing your location at any time.",
                         "You can turn off sharing your location at any time.") is None


def test_between_the_ages_of_is_an_age_range() -> None:
    assert describe(only_quantity("Children between the ages of 13 and 18 must be registered by a parent.")) == "13-18 years"
    assert not differences("Children between the ages of 13 and 18 must be registered by a parent.",
                           "Teens aged 13 to 18 must be registered by a parent.")


def test_unlimited_is_a_count_a_limit_contradicts() -> None:
    assert describe(only_quantity("Unlimited polls can be created in an account.")) == "unlimited polls"
    (diff,) = differences("Unlimited polls can be created in an account.", "Each account can create up to 10 polls.")
    assert diff.reason == "policy: unlimited polls; article: 10 polls"
    assert not differences("You can create unlimited polls.", "There is no cap: you can make unlimited polls.")
    (diff,) = differences("We store the last 4 digits of the card number.", "We keep the last six digits of your card.")
    assert diff.reason == "policy: 4 digits; article: 6 digits"


def test_a_question_leading_into_the_answer_states_no_rule():
    lead = extract_facts("Don't feel like using the app? Just email us, and that counts as cancelling your account.")
    assert lead.modality == "none" and not lead.negated
    # What the question names still says whom the answer is for; the answer's own modal is read.
    business = extract_facts("Running a business account in the EU? You can't withdraw from a Coin purchase.")
    assert business.modality == "forbid" and business.negated and business.regions == {"EU"}
    # A question alone is read as written.
    assert extract_facts("Can't you go LIVE before 18?").negated
    # A dotted name inside the question ("wordpress.com") does not end it.
    dotted = extract_facts("Don't need your wordpress.com subdomain anymore? You're allowed to sell access to it.")
    assert dotted.modality == "permit" and not dotted.negated


def test_not_just_adds_and_denies_nothing():
    assert not extract_facts("The content is blocked worldwide, not just in the country that asked.").negated
    assert not extract_facts("It applies not only to hosts but to guests.").negated
    assert extract_facts("The content is not blocked in other countries.").negated


def test_complementary_groups_are_compared_by_what_each_may_do():
    def reasons(policy: str, article: str) -> list[str]:
        return [d.reason for d in compare(extract_facts(policy), extract_facts(article))]

    # "under 18 cannot" and "over 18 can" say the same thing of the two groups.
    assert reasons("Users under 18 cannot join the Creator Rewards Program.",
                   "Users over 18 can join the Creator Rewards Program.") == []
    # ... but not "under 18 cannot" and "over 18 cannot": the same modal for both groups is compared as before.
    assert reasons("Users under 18 cannot join the Program.", "Users under 18 can join the Program.") \
        == ["policy: cannot; article: can"]
    # A minimum the policy requires is denied by a statement that lets those under it do the thing.
    assert reasons("You must be at least 18 years old to go LIVE.", "Users under 18 can go LIVE.") \
        == ["policy: at least 18 years old (must); article: under 18 (can)"]
    assert reasons("You must be at least 18 years old to go LIVE.", "Users under 18 cannot go LIVE.") == []
    # A sentence naming both groups is compared on the group the statement names.
    assert reasons("An account with more than 1 active strike cannot receive payouts until it is back to 1 "
                   "active strike or fewer.", "Accounts with more than one active strike can't receive payouts.") == []


def test_section_numbers_and_wont_are_no_quantities():
    # Two contracts' "this Section 7 won't apply" and "this Section 2 won't apply" differ in no amount.
    assert extract_facts("The obligations in this Section 7 won’t apply to public information.").quantities == ()
    assert extract_facts("Under Clause 8.2, this Paragraph 3 applies.").quantities == ()
    # A common noun before a number is no reference: "an article 30 days after posting", "this section 3 strikes".
    assert [q.low for q in extract_facts("You can edit a published article 30 days after posting it.").quantities] \
        == [30.0]
    assert [q.low for q in extract_facts("Under this section 3 strikes lead to a ban.").quantities] == [3.0]
    assert [q.unit for q in extract_facts("The fee is 5,000 won.").quantities] == ["KRW"]
    assert [q.low for q in extract_facts("Under Article 17 you have 30 days to object.").quantities] == [30.0]


def test_a_requirement_to_be_an_age_is_checked_against_what_the_policy_rules_for_that_age():
    def reasons(policy: str, article: str) -> list[str]:
        return [d.reason for d in compare(extract_facts(policy), extract_facts(article))]

    # "must be 16" lets 16-year-olds do what the policy says they cannot.
    assert reasons("Account holders aged 16 or 17 cannot send or receive Gifts.",
                   "You must be 16 to receive LIVE Gifts.") == ["policy: aged 16 (cannot); article: 16 (must)"]
    # Those under 16 cannot, in both: no conflict.
    assert reasons("Account holders under 16 cannot send or receive Gifts.",
                   "You must be 16 to receive LIVE Gifts.") == []
    # A sentence with two ages rules on two people (a parent and a teen), not on two groups of one.
    assert reasons("The parent must be 18 or older, and the linked teen must be aged 13 to 17.",
                   "The parent must be 18 or older, and the teen must be between 13 and 17.") == []


def test_a_region_the_policy_excepts_is_where_its_rule_does_not_apply():
    ads = "Teens aged 16 and 17 may turn on personalised ads in Settings, except in the EU and UK."
    assert extract_facts(ads).regions == frozenset() and extract_facts(ads).excluded == {"EU", "UK"}
    # Stating the rule for an excepted region, or one inside it, or for everywhere, changes its scope ...
    assert [d.reason for d in differences(ads, "Teens aged 16 and 17 in the EU can turn on personalised ads.")] == [
        "policy: except EU UK; article: EU"]
    assert differences(ads, "Teens in France can turn on personalised ads.")[0].kind == "scope"
    shop = "Clipwave Shop is available worldwide other than the United States and Japan."
    assert differences(shop, "Clipwave Shop is available everywhere.")[0].reason == (
        "policy: except Japan US; article: anywhere")
    # ... a region it does not except, or the same exception, does not.
    assert differences(ads, "Teens in the US can turn on personalised ads.") == []
    assert differences(shop, "Clipwave Shop is available everywhere except Japan and the US.") == []
    # "except that ..." is another rule, not a place.
    terminal = ("Use it only within the country we shipped it to, except that a terminal shipped to the European "
                "Economic Area may be used in another country in the European Economic Area.")
    assert extract_facts(terminal).excluded == frozenset()
    # "except in the EU, where ..." gives the EU its own rule in the same sentence: its regions stay the sentence's.
    own = extract_facts("Teens may turn on personalised ads, except in the EU, where they stay off until 18.")
    assert own.regions == {"EU"} and own.excluded == frozenset()


def test_europe_is_a_region_and_a_count_after_a_person_is_no_age():
    assert extract_facts("Users in Europe must be 16 to sign up.").regions == {"Europe"}
    assert extract_facts("European users can ask for a copy of their data.").regions == {"Europe"}
    assert extract_facts("The European Commission's standard clauses apply.").regions == frozenset()
    assert differences("Users in the EU must be 16 to sign up.", "Users in Europe must be 16 to sign up.") == []
    assert differences("Users in the UK can ask for a copy.", "Users in Europe can ask for a copy.") == []
    assert differences("Users in the US must be 13 to sign up.", "Users in Europe must be 13 to sign up.")[0].kind == "scope"
    # "the seller 6 penalty points" counts points; "users under 13" is an age.
    assert [(q.kind, q.unit) for q in extract_facts("We give the seller 6 penalty points for a late order.").quantities] == [
        ("count", "point")]
    assert [(q.kind, q.low) for q in extract_facts("Users under 13 cannot open an account.").quantities] == [("age", 13.0)]


def test_notice_given_with_a_period_or_after_giving_it_is_notice_first():
    assert dict(extract_facts("We may change these terms with 30 days' notice.").states)["notice"] == "notice first"
    assert dict(extract_facts("We may remove accounts with reasonable notice.").states)["notice"] == "notice first"
    policy = "Accounts violating this policy may be removed or renamed without notice."
    assert [d.reason for d in differences(policy, "Such accounts are only removed or renamed after giving the owner "
                                                  "notice.")] == ["policy: without notice; article: notice first"]


def test_a_passive_or_a_role_naming_a_thing_names_no_actor():
    assert differences("The host can remove a guest at any time.", "Guests can be removed by the host at any time.") == []
    assert differences("A parent or guardian can link up to 5 teen accounts.",
                       "Up to 5 teen accounts can be linked to one parent or guardian.") == []
    # A real change of who acts is still one.
    assert [d.reason for d in differences("The host can remove a guest at any time.",
                                          "Moderators can remove guests at any time.")] == ["policy: host; article: moderator"]
