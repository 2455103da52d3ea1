"""The article checker end to end with the real model: our fixture policies and GitHub's real policies."""

from pathlib import Path

import pytest

from consistency.checker import CONTRADICTED, NOT_COVERED, SUPPORTED, Checker, split_statements
from index.build import build_index
from index.search import PolicyIndex
from ingest.corpus import ingest_folder

pytestmark = pytest.mark.slow


def test_split_statements_keeps_headings_as_context():
    text = "# Going LIVE\n\nYou need 1,000 followers. Hosts must be 18.\n\n## Gifts\n\n- Viewers can send Gifts.\n"
    got = [(s.text, s.context) for s in split_statements(text)]
    assert got == [("You need 1,000 followers.", ("Going LIVE",)), ("Hosts must be 18.", ("Going LIVE",)),
                   ("Viewers can send Gifts.", ("Gifts",))]
    assert all(text[s.start:s.end] == s.text for s in split_statements(text))


def test_a_question_is_no_statement_but_leads_into_its_answer():
    text = ("# Going LIVE\n\nUnder 18? You can't go LIVE.\n\nWant to appeal a strike? Open Account Status. You have "
            "180 days.\n\nWas this article helpful?\n")
    statements = split_statements(text)
    assert [s.text for s in statements] == ["Under 18? You can't go LIVE.", "Want to appeal a strike? Open Account Status.",
                                            "You have 180 days."]
    assert all(text[s.start:s.end] == s.text for s in statements)
    assert statements[2].context == ("Going LIVE", "Want to appeal a strike?")


@pytest.mark.parametrize("statement, verdict", [
    ("Hosts can appoint up to 20 moderators for their LIVEs.", SUPPORTED),
    ("Hosts can appoint up to 50 moderators for their LIVEs.", CONTRADICTED),
    ("A strike expires 120 days after it was issued.", CONTRADICTED),
    ("You can stream LIVE in 4K resolution from a smart TV.", NOT_COVERED),
])
def test_verdicts_on_the_fixture_policies(real_index, statement, verdict):
    v = Checker(real_index, exclude=("help-centre/",)).check(statement)
    assert v.verdict == verdict, v.reason
    if verdict != NOT_COVERED:
        assert v.evidence and not v.evidence[0].clause.doc_id.startswith("help-centre/")


@pytest.fixture(scope="module")
def github_index(minilm, shared_corpora_dir: Path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("github") / "idx"
    build_index(ingest_folder(shared_corpora_dir / "github-site-policy"), minilm, folder)
    idx = PolicyIndex(folder, minilm)
    yield idx
    idx.close()


def test_the_same_checker_flags_changed_github_policies(github_index):
    checker = Checker(github_index)
    deadline = checker.check("You may appeal a moderation decision for up to three months following the decision.")
    assert deadline.verdict == CONTRADICTED
    assert deadline.evidence[0].clause.doc_id.endswith("github-appeal-and-reinstatement.md")
    assert "six months" in deadline.evidence[0].clause.text
    bots = checker.check("Accounts registered by bots or other automated methods are permitted.")
    assert bots.verdict == CONTRADICTED and any(d.kind == "permission" for d in bots.differences)
    assert "not permitted" in bots.evidence[0].clause.text
    same = checker.check("You may appeal a moderation decision for up to six months following the decision.")
    assert same.verdict == SUPPORTED


def test_the_number_for_the_statements_case_decides_between_two_in_one_clause(github_index):
    # The Corporate Terms limit liability to $5,000 for free products and to $500 for Beta Previews, in one clause.
    checker = Checker(github_index)
    free = checker.check("GitHub's liability for free products is capped at $500 in direct damages.")
    assert free.verdict == CONTRADICTED and free.differences[0].policy == "USD 5,000", free.reason
    beta = checker.check("Under the Corporate Terms, GitHub's liability for Beta Previews is limited to $500 of direct "
                         "damages.")
    assert beta.verdict == SUPPORTED, beta.reason


def test_a_requirement_list_spread_over_a_section_is_read_as_one_list(github_index):
    # GitHub's counter-notice guide lists what a counter notice must contain under the heading "Your Counter
    # Notice Must", one item per paragraph: the statement leaves out the sworn statements.
    v = Checker(github_index).check("A DMCA counter notice only needs your contact information and your signature.")
    assert v.verdict == CONTRADICTED, v.reason
    assert v.reason.startswith("the policy also requires:") and "penalty of perjury" in v.reason
    assert v.evidence[0].clause.doc_id.endswith("guide-to-submitting-a-dmca-counter-notice.md")


@pytest.mark.parametrize("statement, missing", [
    # "as long as" and "no further details" claim the named items are all that is needed; GitHub's
    # counter-notice guide lists more.
    ("A DMCA counter notice is valid as long as it has your contact information and your signature.",
     "penalty of perjury"),
    ("A DMCA counter notice needs your contact information and your signature, with no further details.",
     "penalty of perjury"),
    # GitHub: "In order to enable GitHub Connect, you must have at least one (1) account on GitHub Enterprise
    # Cloud or GitHub.com, and ..." -- a condition in a sentence, not a list, that "all it takes" leaves out.
    ("To turn on GitHub Connect, a GitHub Enterprise Server licence is all it takes.", "GitHub Enterprise Cloud"),
    ("To enable GitHub Connect, it's enough to have a GitHub Enterprise Server licence.", "GitHub Enterprise Cloud"),
])
def test_a_sufficiency_claim_that_leaves_out_a_requirement_is_a_conflict(github_index, statement, missing):
    v = Checker(github_index).check(statement)
    assert v.verdict == CONTRADICTED, v.reason
    assert v.reason.startswith("the policy also requires:") and missing in v.reason


def test_a_flipped_rule_in_other_word_forms_is_on_the_point(github_index):
    # GitHub's terms: "We are not able to cancel Accounts in response to an email or phone request." The
    # statement says "emailing", "phoning" and "account": only their stems match the policy's words.
    v = Checker(github_index).check("You can get your account cancelled by emailing or phoning GitHub.")
    assert v.verdict == CONTRADICTED, v.reason
    assert any(d.kind == "permission" for d in v.differences)
    assert "email or phone request" in v.evidence[0].clause.text


def test_a_rule_flipped_in_other_word_forms_is_a_conflict(github_index):
    # GitHub: "GitHub will not automatically disable forks when disabling a parent repository." The statement
    # shares the rule's words only as stems (disables / disable, forks), and states what the policy negates.
    v = Checker(github_index).check(
        "When GitHub disables a repository over private information, it automatically disables all forks of that "
        "repository as well.")
    assert v.verdict == CONTRADICTED, v.reason
    assert "not automatically disable forks" in v.evidence[0].clause.text


def test_a_number_confirmed_in_other_words_supports(github_index):
    # GitHub: "... we will delete your full profile and the Content of your repositories within 90 days of
    # cancellation or termination". Few words are shared, but the sentence confirms the statement's number.
    v = Checker(github_index).check("Once an account is closed, its profile and repository content are erased "
                                    "within three months.")
    assert v.verdict == SUPPORTED, v.reason
    assert "within 90 days of cancellation" in v.evidence[0].clause.text


def test_a_number_that_happens_to_agree_in_other_words_needs_a_close_meaning():
    from index.search import Hit

    statement = "Annual plan refunds are available within 30 days of purchase."
    # Shares few words but the number, in the clause the search ranked first: it outweighs ...
    invoices = _policy_clause("The billing team answers customer enquiries about invoices and receipts within 30 days.")
    # ... the sentence that says the same, which shares more.
    from ingest.model import Clause

    text = "Refund requests for yearly subscriptions are honoured within 30 days of the purchase date."
    refunds = Clause("refunds.md#1", "refunds.md", "Refunds", ("Refunds",), None, text, None, 0, len(text))
    hits = [Hit(invoices, 1.0, 0), Hit(refunds, 0.9, 1)]
    tops = {invoices.clause_id}
    checker = Checker(None)
    # Without a similarity (no model), the heavier sentence supports, as the rules weigh it.
    assert checker.weigh(statement, hits, tops)[0][1].clause is invoices
    # Not close in meaning: the next supporting sentence is considered.
    far = checker.weigh(statement, hits, tops, similarity=lambda text, others: [0.2] * len(others))
    assert far[0][1].clause is refunds
    close = checker.weigh(statement, hits, tops, similarity=lambda text, others: [0.8] * len(others))
    assert close[0][1].clause is invoices
    # With no other support, none.
    assert checker.weigh(statement, hits[:1], tops, similarity=lambda text, others: [0.2] * len(others))[0] is None


class _NegationEntailer:
    """A deterministic stand-in for an entailment model: contradiction iff exactly one side says "not"."""

    def scores(self, premise: str, hypothesis: str) -> tuple[float, float]:
        flipped = ("not" in premise.split()) != ("not" in hypothesis.split())
        return (0.1, 0.9) if flipped else (0.9, 0.1)


def test_an_entailment_model_plugs_in_through_the_seam(real_index):
    checker = Checker(real_index, exclude=("help-centre/",), entailer=_NegationEntailer())
    v = checker.check("Hosts can appoint up to 20 moderators for their LIVEs.")
    assert v.verdict == "SUPPORTED" and "entailment model" in v.reason


def test_a_heading_does_not_hide_the_statements_own_subject(shipped_index):
    # Under a Gifts heading the search leans to gift clauses ("a reminder 60 days before any Diamonds
    # expire"); the strike clauses must still be found and compared, not a number about something else.
    checker = Checker(shipped_index, exclude=("help-centre/",))
    [alone] = checker.check_text("Strikes expire after 90 days.")
    [headed] = checker.check_text("# Gifts on LIVE\n\nStrikes expire after 90 days.\n")
    assert alone.verdict == headed.verdict == SUPPORTED, headed.reason
    assert "strike" in headed.evidence[0].clause.text.lower()


def test_a_change_note_is_not_evidence_for_the_old_rule(shipped_index):
    v = Checker(shipped_index, exclude=("help-centre/",)).check("A strike expires 120 days after it is issued.")
    assert v.verdict == CONTRADICTED, v.reason
    assert "120" in v.reason and "90" in v.reason



def test_the_sentence_that_speaks_to_more_of_the_numbers_decides(shipped_index):
    # "30 days" alone agrees with a sentence about releasing rewards; the rule on fake views gives 10%.
    st = "Rewards are withheld when more than 40% of a creator's views in a 30-day period are fake."
    v = Checker(shipped_index, exclude=("help-centre/",)).check(st)
    assert v.verdict == CONTRADICTED, v.reason
    assert "10%" in v.reason and "40%" in v.reason


@pytest.mark.parametrize("statement, verdict", [
    # live-gifts 2.2: "Region | Minimum age to send Gifts | Minimum age to receive Gifts | Notes", "Japan | 18 | 20 | ..."
    ("In Japan, you can receive Gifts from age 18.", CONTRADICTED),
    ("In Japan, you can send Gifts from age 18.", SUPPORTED),
    # regulated goods 4.1: "Region | Minimum viewer age | Notes", "Canada | 19 | ... where the legal age is 18."
    ("In Canada, viewers can see alcohol content from age 18.", CONTRADICTED),
    ("In Canada, viewers can see alcohol content from age 19.", SUPPORTED),
])
def test_table_rows_are_read_under_their_headers(shipped_index, statement, verdict):
    v = Checker(shipped_index, exclude=("help-centre/",)).check(statement)
    assert v.verdict == verdict, v.reason
    row = v.evidence[0].clause.text[slice(*v.evidence[0].sentence)]
    assert row.startswith(("Japan |", "Canada |")), row  # the whole row of the statement's region is cited


def test_a_row_for_another_region_is_not_evidence():
    from consistency.checker import _units
    from consistency.facts import extract_facts

    text = "Region | Minimum age to send Gifts | Notes\nGlobal | 18 | Default\nSouth Korea | 19 | Checked"
    units = _units(text, {"send", "gifts"})
    assert [text[slice(*u.span)] for u in units] == ["Global | 18 | Default", "South Korea | 19 | Checked"]
    assert units[1].row_regions == {"South Korea"} and units[0].row_regions == frozenset()
    assert [q.low for q in units[1].facts.quantities] == [19]
    assert "global" not in units[0].facts.scope  # the row's label is not a scope word
    assert extract_facts("Users in South Korea can send Gifts from 18.").regions == {"South Korea"}


def test_a_clause_can_restate_a_statement_across_its_sentences(shipped_index):
    # intellectual-property 1.3 says "tracked separately" in one sentence and "does not count toward" in the next.
    st = "A copyright strike is tracked separately and never counts toward Community Guidelines strike limits."
    v = Checker(shipped_index, exclude=("help-centre/",)).check(st)
    assert v.verdict == SUPPORTED and "across its sentences" in v.reason, v.reason
    assert "intellectual-property" in v.evidence[0].clause.doc_id


def test_an_only_statement_is_never_supported_by_word_overlap(shipped_index):
    # A macro asks for "your full contact details, the link to the removed video, a statement under penalty of
    # perjury ...": it uses nearly all these words, but "only" also claims nothing else is needed.
    v = Checker(shipped_index, exclude=("help-centre/",)).check(
        "Your counter-notice only needs your contact details, your signature and a link to the removed video.")
    assert v.verdict != SUPPORTED, v.reason


def test_each_part_of_a_but_statement_keeps_its_own_modal(shipped_index):
    # youth-safety 4.3: "Users under 16 have no access to direct messages: they cannot send, ..." The "can watch"
    # half of the statement is about LIVE, and must not be compared with the "cannot send" of messages.
    st = "Users under 16 can watch LIVE streams and comment where the host allows it, but they have no access to " \
         "direct messages."
    v = Checker(shipped_index, exclude=("help-centre/",)).check(st)
    assert v.verdict == SUPPORTED, v.reason


def test_a_negated_rule_contradicts_the_plain_statement(shipped_index):
    # minors policy 3.5: "Simply re-entering a date of birth does not unlock the account."
    v = Checker(shipped_index, exclude=("help-centre/",)).check(
        "An account locked for age can be unlocked by simply re-entering a date of birth.")
    assert v.verdict == CONTRADICTED, v.reason
    assert "not unlock" in v.reason
    assert "does not unlock" in v.evidence[0].clause.text


def test_a_negation_on_another_point_does_not_block_support(shipped_index):
    # appeals 3.2: "If your account is permanently banned, you can appeal through the account appeal web form on
    # the Help Center." The statement's "can't" is about logging in, which the policy sentence does not mention.
    v = Checker(shipped_index, exclude=("help-centre/",)).check(
        "If you can't log in because your account is permanently banned, appeal through the account appeal web form "
        "on the Help Center.")
    assert v.verdict == SUPPORTED, v.reason


@pytest.mark.parametrize("statement, missing", [
    ("To verify, individual sellers only need a photo identity document and a live selfie check.", "bank account"),
    ("All you need for a counter-notice is your name, address, email address and telephone number, plus a link to "
     "the removed content.", "penalty of perjury"),
])
def test_a_statement_that_leaves_out_a_listed_requirement_is_contradicted(shipped_index, statement, missing):
    v = Checker(shipped_index, exclude=("help-centre/",)).check(statement)
    assert v.verdict == CONTRADICTED, v.reason
    assert v.reason.startswith("the policy also requires:") and missing in v.reason
    ev = v.evidence[0]
    assert missing in ev.clause.text[slice(*ev.sentence)]  # the first item left out is the evidence


def test_a_statement_that_lists_every_requirement_is_not_contradicted(shipped_index):
    v = Checker(shipped_index, exclude=("help-centre/",)).check(
        "Individual sellers only need a government-issued photo identity document, a live selfie check matched "
        "against it, and a bank account in the same legal name.")
    assert v.verdict != CONTRADICTED, v.reason


def test_limits_per_hour_and_per_day_are_compared_period_by_period(shipped_index):
    # The spam policy's table: "Post videos | 10 | 50" under "Limit per hour | Limit per 24 hours". The hourly
    # limit agreeing must not hide a daily one that differs.
    checker = Checker(shipped_index, exclude=("help-centre/",))
    wrong = checker.check("To slow down abuse, an account can post up to 10 videos an hour and 80 videos a day.")
    assert wrong.verdict == CONTRADICTED, wrong.reason
    assert wrong.reason == "policy: 50 videos per day; article: 80 videos per day"
    right = checker.check("To slow down abuse, an account can post up to 10 videos an hour and 50 videos a day.")
    assert right.verdict == SUPPORTED, right.reason


def test_scope_words_belong_to_their_own_part_of_the_statement(shipped_index):
    # The spam policy "applies to all accounts and to every form of engagement". An "unless" in another part
    # of the statement restricts that part, not the policy's scope; an "except" in the same part does.
    checker = Checker(shipped_index, exclude=("help-centre/",))
    other_part = checker.check("This policy applies to all accounts and every form of engagement on Clipwave, and it "
                               "is enforced by automated signals unless a specialist team reviews the case first.")
    assert other_part.verdict != CONTRADICTED, other_part.reason
    same_part = checker.check("The spam policy applies to all accounts except verified ones and to every form of "
                              "engagement on Clipwave.")
    assert same_part.verdict == CONTRADICTED and any(d.kind == "scope" for d in same_part.differences)




def test_as_long_as_bounding_a_time_is_not_a_sufficiency_claim():
    from consistency.checker import _claims_sufficiency

    assert _claims_sufficiency("Reports are valid as long as they name the account.")
    assert _claims_sufficiency("Automattic will process a request for user information as long as it names the URL.")
    assert not _claims_sufficiency("Woo products stay available for as long as the plan stays active.")
    assert not _claims_sufficiency("GitHub retains your personal data as long as your account is active.")
    assert _claims_sufficiency("A counter notice is complete once it includes your signature and your address.")
    assert not _claims_sufficiency("Your counter notice is complete.")
    assert _claims_sufficiency("Once you're 18 and have 1,000 followers, you're all set to start your first LIVE.")
    assert _claims_sufficiency("If someone copies your account, just send us its username.")
    assert not _claims_sufficiency("We will just send you a receipt.")
    assert _claims_sufficiency("Once you’ve saved it, you’re all set.")  # a curly apostrophe
    assert not _claims_sufficiency("Your order is complete when you receive a confirmation email.")


def test_a_section_of_requirements_is_a_requirement_list(shipped_index):
    # LIVE Hosting 2.1 "Core requirements": 2.1.1 age and followers, 2.1.2 account age, verified phone or email.
    v = Checker(shipped_index, exclude=("help-centre/",)).check(
        "Once you're 18 and have 1,000 followers, you're all set to start your first LIVE.")
    assert v.verdict == CONTRADICTED and v.reason.startswith("the policy also requires:"), v.reason
    assert "30 days old" in v.reason


def test_a_denial_in_other_words_is_supported_by_the_policys_denial(github_index):
    # GitHub: "GitHub prohibits account name squatting, and account names may not be reserved or inactively held
    # for future use." Both deny the same thing in different words; an affirmative near-paraphrase would not do.
    v = Checker(github_index).check("Names can't be reserved on GitHub for use later, and inactive squatting isn't "
                                    "allowed.")
    assert v.verdict == SUPPORTED, v.reason
    assert "squatting" in v.evidence[0].clause.text


def _policy_clause(text: str):
    from ingest.model import Clause

    return Clause("p.md#rules/1", "p.md", "Policy", ("Rules",), None, text, None, 0, len(text))


def test_a_sentence_that_denies_what_the_statement_affirms_is_not_support():
    # legalmattic's Legal Guidelines: "... where we are the victim, we will not inspect a user's non-public
    # content ourselves." Most words are shared, no number: the polarity decides.
    from index.search import Hit

    clause = _policy_clause("If someone uses our services to commit a crime against us, we will not inspect "
                            "the user's non-public content ourselves.")
    checker = Checker(None)  # weighing needs no index
    statement = "If someone uses our services to commit a crime against us, we may look through the user's " \
                "non-public content ourselves."
    support, conflict = checker.weigh(statement, [Hit(clause, 1.0, 0)])
    assert support is None and conflict is not None
    assert conflict[2][0].reason == "policy: denies; article: affirms"
    # A denial inside a condition is not the sentence's own polarity: "if you do not ..., you can ...".
    conditional = _policy_clause("If you do not verify your account, you can still watch LIVE streams.")
    statement = "Even if you do not verify your account, you can still watch LIVE streams."
    support, conflict = checker.weigh(statement, [Hit(conditional, 1.0, 0)])
    assert support is not None and conflict is None
    # "at no cost" denies nothing: a plain "free of charge" statement is supported.
    free = _policy_clause("We will offer the repository owner a referral for independent legal advice at no "
                          "cost.")
    statement = "The repository owner is offered a referral for independent legal advice, free of charge."
    support, conflict = checker.weigh(statement, [Hit(free, 1.0, 0)])
    assert support is not None and conflict is None


def test_what_the_policy_calls_not_enough_contradicts_a_sufficiency_claim():
    from consistency.checker import _unstated_condition
    from index.search import Hit

    clause = _policy_clause("To find the material we require a link to the specific post (not just the name of the "
                            "blog) and a description of which file infringes your work.")
    found = _unstated_condition("Giving the name of the blog where it appears is enough for us to find it.",
                                [Hit(clause, 1.0, 0)])
    assert found is not None and "not just the name of the blog" in found[1]
    # The same words without the claim that they suffice ask for nothing more.
    assert _unstated_condition("Give the name of the blog where it appears.", [Hit(clause, 1.0, 0)]) is None


def _against(find, policy: str):
    """(clause, check): `find` (a rule reading the top clauses) run on one statement against a one-clause policy."""
    from index.search import Hit

    clause = _policy_clause(policy)
    return clause, lambda statement: find(statement, [Hit(clause, 1.0, 0)])


def test_a_rule_extended_to_what_the_policy_excludes_is_a_conflict():
    from consistency.checker import _excluded_inclusion

    clause, check = _against(_excluded_inclusion, "This policy covers our apps and websites. Please note that this "
                             "policy does not apply to products, like Snapcast, that have their own privacy policy.")
    found = check("This privacy policy applies to every product we run, Snapcast included.")
    assert found is not None and found[1] == "Snapcast" and "does not apply" in clause.text[slice(*found[0].sentence)]
    assert check("This privacy policy applies to every product we run, including our apps and websites.") is None
    assert check("This privacy policy applies to our apps, including Snapcast.") is None  # no "every": no claim


def test_leaving_out_what_the_policy_lists_as_included_is_a_conflict():
    from consistency.checker import _included_exclusion

    clause, check = _against(_included_exclusion, "This refund policy applies to every product we make. That "
                             "includes Clipwave, Snapcast, Loopline and Reelbox, on the web and in the apps.")
    found = check("The refund policy covers Clipwave, but older apps such as Loopline and Reelbox aren't included.")
    assert found is not None and found[1] == "Loopline, Reelbox"  # not Clipwave, which the statement keeps
    assert "That includes" in clause.text[slice(*found[0].sentence)]
    assert check("The refund policy applies to every product we make except Reelbox.")[1] == "Reelbox"
    assert check("The refund policy covers Clipwave, Loopline and Reelbox.") is None  # leaves nothing out
    assert check("The refund policy applies to every product except Tumblebox.") is None  # the policy never lists it
    assert check("Note that Loopline and Reelbox aren't included in the refund policy.")[1] == "Loopline, Reelbox"
    # "Nobody except X" includes X; "doesn't cover damage to X" leaves out the damage; names match whole words.
    assert check("The refund policy covers nothing except Loopline and Reelbox.") is None
    assert check("The refund policy doesn't cover damage to Reelbox caused by accidents.") is None
    assert check("Reel add-ons aren't included in the refund policy.") is None


def test_a_rule_for_a_named_tier_is_not_a_rule_for_every_plan():
    from consistency.checker import _narrower_name
    from index.search import Hit

    clause = _policy_clause("That is why we guarantee 99.9% monthly uptime to teams on Clipwave Pro.")
    support, conflict = Checker(None).weigh("Every Clipwave plan comes with a guaranteed 99.9% monthly uptime.",
                                            [Hit(clause, 1.0, 0)])
    assert support is None and conflict is not None
    assert conflict[2][-1].reason == "policy: Clipwave Pro; article: every"
    # Without "every" the statement claims nothing about the other plans; a name it uses whole is no narrowing.
    support, conflict = Checker(None).weigh("Clipwave Pro comes with a guaranteed 99.9% monthly uptime.",
                                            [Hit(clause, 1.0, 0)])
    assert support is not None and conflict is None
    assert _narrower_name("All Clipwave Shop sellers ship within 3 days.", "All Clipwave Shop sellers ship fast.") is None
    assert _narrower_name("All Etsy sellers must ship within 3 days.", "All sellers must ship within 3 days.") is None
    # "at any time" claims nothing about every plan
    clause = _policy_clause("Clipwave Pro subscribers can cancel their subscription at any time.")
    support, conflict = Checker(None).weigh("You can cancel your Clipwave subscription at any time.",
                                            [Hit(clause, 1.0, 0)])
    assert conflict is None


def test_each_part_of_a_but_policy_sentence_is_compared_with_its_own_point():
    from index.search import Hit

    two_rules = _policy_clause("A Legacy Contact can request memorialisation but not removal, unless they are "
                               "also an immediate family member.")
    statement = ("A Legacy Contact can ask us to memorialise an account, but they can't ask for it to be removed, "
                 "unless they're also an immediate family member.")
    support, conflict = Checker(None).weigh(statement, [Hit(two_rules, 1.0, 0)])
    assert conflict is None
    boost = _policy_clause("Creators may post political content as ordinary videos, but may not use Boost on it.")
    support, conflict = Checker(None).weigh("Creators can post political videos and use Boost on political content.",
                                            [Hit(boost, 1.0, 0)])
    assert conflict is not None and conflict[2][0].kind == "permission"


def test_nobody_at_the_start_denies_the_sentence():
    from consistency.facts import extract_facts

    assert extract_facts("Nobody, not even family, will ever be allowed to log in to it.").modality == "forbid"
    assert extract_facts("If no one else has claimed the name, you can register it.").modality == "permit"


def test_a_rule_only_one_region_has_is_not_a_rule_for_every_account():
    from index.search import Hit

    table = _policy_clause("| Region | Additional rule |\n| --- | --- |\n"
                           "| European Union | Users can ask for a statement of reasons. |\n"
                           "| India and Indonesia | Accounts must verify a phone number before sending more than 10 "
                           "direct messages in a day. |")
    statement = "Every account must verify a phone number before sending more than 10 direct messages in a day."
    support, conflict = Checker(None).weigh(statement, [Hit(table, 1.0, 0)])
    assert conflict is not None and conflict[2][-1].reason == "policy: India Indonesia; article: every"
    # Without a claim about every account, the regional row is an exception, not evidence either way.
    support, conflict = Checker(None).weigh("Accounts must verify a phone number before sending more than 10 "
                                            "direct messages in a day.", [Hit(table, 1.0, 0)])
    assert support is None and conflict is None


def test_what_is_and_is_not_a_denial_or_a_list_of_requirements():
    from consistency.checker import _REQUIREMENT_LEAD, _denies

    assert _denies("Please note that this policy does not apply to Snapcast.")
    assert not _denies("We may remove content that does not follow these rules.")  # a relative clause
    assert not _denies("This is not only about spam.")
    assert not _denies("You can appeal whether or not you were notified.")
    # An aside between dashes is read apart: the main clause's "not" denies, a relative clause's does not.
    assert _denies("The video in question — which was embedded from another site — is not hosted on Clipwave.")
    assert not _denies("We remove videos that — in our view — do not follow these rules.")
    assert _REQUIREMENT_LEAD.search("Eligibility") and _REQUIREMENT_LEAD.search("Conditions for payouts")
    assert not _REQUIREMENT_LEAD.search("Terms and Conditions")


def test_only_the_claimed_part_names_the_items_of_a_list():
    from consistency.checker import _claimed, _dropped_requirements
    from index.search import Hit

    assert _claimed("To have an account removed, all you need to send us is a copy of the death certificate.") \
        == " to send us is a copy of the death certificate."
    assert _claimed("When sending a notice, giving the name of the blog is enough.") == "giving the name of the blog"
    clause = _policy_clause("For removal, the requester must provide:\n"
                            "(a) an official death certificate;\n"
                            "(b) proof that the requester is an immediate family member;\n"
                            "(c) the requester's own photo ID.")
    found = _dropped_requirements("To have a family member's account removed, all you need to send us is their "
                                  "death certificate.", [Hit(clause, 1.0, 0)], lambda doc_id: [clause])
    # "family member" is who asks, not a document named: the proof of it is still missing.
    assert found is not None and any("immediate family member" in m for m in found[1])


def test_a_rule_for_consumers_stands_against_support_that_names_nobody():
    from consistency.checker import _silent_on_whom
    from index.search import Hit

    statement = "Running a business account in the EU? You can withdraw from a Coin purchase within 14 days."
    consumers = _policy_clause("If you are a consumer in the European Union, you can withdraw from a Coin purchase "
                               "within 14 days.")
    anyone = _policy_clause("If you live in the European Union, you can withdraw from a Coin purchase within 14 "
                            "days.")
    checker = Checker(None)
    _, conflict = checker.weigh(statement, [Hit(consumers, 1.0, 0)])
    support, _ = checker.weigh(statement, [Hit(anyone, 1.0, 0)])
    assert conflict is not None and conflict[2][0].reason == "policy: consumer; article: business"
    assert support is not None and _silent_on_whom(conflict, support)
    # A supporting sentence that itself names business accounts does answer whom the rule is for.
    business = _policy_clause("Business accounts in the European Union can withdraw from a Coin purchase within "
                              "14 days.")
    support, _ = checker.weigh(statement, [Hit(business, 1.0, 0)])
    assert support is not None and not _silent_on_whom(conflict, support)


def test_the_means_a_rule_sets_contradicts_a_claim_that_less_suffices():
    from consistency.checker import _claims_sufficiency, _unstated_condition
    from index.search import Hit

    statement = "If your account was memorialised by mistake, just log back in and it will be restored."
    assert _claims_sufficiency(statement)
    clause = _policy_clause("If an account was memorialised by mistake, the account holder can restore it by proving "
                            "their identity through the account recovery form.")
    found = _unstated_condition(statement, [Hit(clause, 1.0, 0)])
    assert found is not None and "account recovery form" in found[1]


def test_only_the_rows_about_the_statements_subject_are_compared():
    from index.search import Hit

    table = _policy_clause("| Data type | Retention period |\n| --- | --- |\n"
                           "| Login records and IP addresses | 12 months |\n"
                           "| Shop order and payment records | 7 years after the order |\n"
                           "| Customer support conversations | 2 years after the ticket is closed |")
    support, conflict = Checker(None).weigh(
        "We keep your customer support conversations for two years after the ticket is closed, and your login "
        "records and IP addresses for a year.", [Hit(table, 1.0, 0)])
    assert support is not None
    assert conflict is None or support[0] > conflict[0]
    # The row on the point still contradicts a wrong number.
    _, conflict = Checker(None).weigh("We keep customer support conversations for five years.", [Hit(table, 1.0, 0)])
    assert conflict is not None and conflict[2][0].reason == "policy: 730 days; article: 1,825 days"


def test_a_wording_flip_in_one_clause_of_the_statement_outweighs_the_clause_that_agrees():
    from index.search import Hit

    clause = _policy_clause("A chargeback freezes the Coin balance and disables Gifting until the chargeback is "
                            "resolved. Gifts sent with Coins from the charged-back purchase may be reversed.")
    statement = ("A chargeback freezes your Coin balance and turns off Gifting until it's resolved, and any Gifts you "
                 "sent with Coins from that purchase will be reversed.")
    support, conflict = Checker(None).weigh(statement, [Hit(clause, 1.0, 0)])
    assert conflict is not None and conflict[2][-1].reason == "policy: may; article: will"
    assert support is None or conflict[0] >= support[0]
    support, conflict = Checker(None).weigh(statement.replace("will be", "may be"), [Hit(clause, 1.0, 0)])
    assert conflict is None


def test_a_count_in_a_window_that_differs_is_not_hidden_by_another_count_that_agrees():
    from ingest.model import Clause
    from index.search import Hit

    text = "You can make 2 requests in any 12-month period and have up to 5 open requests."
    clause = Clause("p.md#1", "p.md", "Privacy", ("Privacy",), None, text, None, 0, len(text))
    _, conflict = Checker(None).weigh("You can make 3 requests in any 12-month period and have up to 5 open requests.",
                                      [Hit(clause, 1.0, 0)])
    assert conflict is not None and "2 requests" in conflict[2][0].reason


def test_a_sentence_under_a_regional_heading_is_about_that_region():
    from dataclasses import replace

    from ingest.model import Clause
    from index.search import Hit

    text = "You are allowed to make two free requests in any 12-month period."
    clause = Clause("p.md#us/1", "p.md", "Privacy Statement", ("Privacy Statement", "US State-specific information"),
                    None, text, None, 0, len(text))
    support, conflict = Checker(None).weigh("Under US state privacy laws, you get two free requests in any 12-month "
                                            "period.", [Hit(clause, 1.0, 0)])
    assert support is not None and conflict is None
    # Under a general heading, a rule for every user is not the US rule the statement says it is.
    text = "Every user is allowed to make two free requests in any 12-month period."
    general = replace(clause, section=("Privacy Statement", "Your rights"), text=text, char_end=len(text))
    support, conflict = Checker(None).weigh("Under US state privacy laws, you get two free requests in any 12-month "
                                            "period.", [Hit(general, 1.0, 0)])
    assert conflict is not None and "US" in conflict[2][-1].reason  # the policy says it of everyone


def test_of_two_numbers_in_one_clause_the_one_for_the_statements_case_decides():
    # GitHub's Corporate Terms: "$5,000" for free products, "$500" for Beta Previews, in one clause.
    from consistency.checker import _qualified_elsewhere
    from index.search import Hit

    clause = _policy_clause("For products that are provided free of charge, liability is limited to direct damages "
                            "up to $5,000. For Beta Previews, liability is limited to direct damages up to $500.")
    statement = "For free products, liability is capped at $500 in direct damages."
    checker = Checker(None)
    support, conflict = checker.weigh(statement, [Hit(clause, 1.0, 0)])
    assert support is not None and "Beta" in clause.text[support[1].sentence[0]:support[1].sentence[1]]
    assert conflict is not None and conflict[2][0].reason == "policy: USD 5,000; article: USD 500"
    assert _qualified_elsewhere(conflict, support, statement)
    # Naming the Beta Previews, the statement is about the sentence that confirms it.
    named = "For Beta Previews, liability is capped at $500 in direct damages."
    support, conflict = checker.weigh(named, [Hit(clause, 1.0, 0)])
    assert support is not None and (conflict is None or not _qualified_elsewhere(conflict, support, named))
    # A sentence of another clause is weighed as before, not by the words that tell two sentences apart.
    other = _policy_clause("For free products, liability is limited to direct damages up to $5,000.")
    other = type(other)("q.md#rules/1", "q.md", *[getattr(other, f) for f in ("doc_title", "section", "number", "text",
                                                                            "page", "char_start", "char_end")])
    _, conflict = checker.weigh(statement, [Hit(other, 1.0, 0)])
    assert conflict is not None and not _qualified_elsewhere(conflict, support, statement)


def test_a_statement_of_several_parts_is_supported_part_by_part(shipped_index):
    # The Suicide and Self-Harm Policy says each part in a sentence of its own, and neither says both.
    checker = Checker(shipped_index, exclude=("help-centre/", "macros/"))
    both = checker.check("If you report someone who may be at risk, we message them with support resources, and the "
                         "message never says who reported them.")
    assert both.verdict == SUPPORTED and both.reason == "each part of it is stated by a policy sentence"
    said = {e.clause.text[e.sentence[0]:e.sentence[1]] for e in both.evidence}
    assert said == {"We send the person at risk a message with support resources.",
                    "The message does not reveal who made the report."}
    # A part no policy states leaves the whole statement unsupported.
    extra = checker.check("If you report someone who may be at risk, we message them with support resources, and we "
                          "also call their parents.")
    assert extra.verdict == NOT_COVERED, extra.reason


def test_a_part_said_in_other_words_must_not_differ_in_its_facts():
    from index.search import Hit

    class Close(Checker):  # every sentence embedded close to every part
        def _similarities(self, text, others):
            return [0.95] * len(others)

    clause = _policy_clause("Appeals are reviewed by a person. An appeal must be filed within 180 days of the "
                            "decision. The reviewer does not see who reported the content.")
    hits = [Hit(clause, 1.0, 0)]
    checker = Close(None)
    agreeing = checker._piecewise("Appeals are reviewed by a person, and you get six months to send yours in.", hits,
                                  set())
    assert agreeing is not None and len(agreeing) == 2
    # "one month" against "180 days": however close the embedding, the part is not stated.
    assert checker._piecewise("Appeals are reviewed by a person, and you get one month to send yours in.", hits,
                              set()) is None
    # Nor is a part of the other polarity ("is shown" against "does not see").
    class Reviewer(Checker):  # only the sentence about the reviewer is embedded close to the part
        def _similarities(self, text, others):
            return [0.95 if "reviewer" in o.lower() else 0.1 for o in others]

    shown = "Appeals are reviewed by a person, and your reviewer is shown the reporter's name."
    assert Reviewer(None)._piecewise(shown, hits, set()) is None
    unseen = "Appeals are reviewed by a person, and your reviewer never learns the reporter's name."
    assert Reviewer(None)._piecewise(unseen, hits, set()) is not None
    # Nor a part whose scope differs ("any member of your team" against "only the account owner").
    class Filer(Checker):
        def _similarities(self, text, others):
            return [0.95 if "file" in o.lower() else 0.1 for o in others]

    owner = [Hit(_policy_clause("Appeals are reviewed by a person. Only the account owner can file an appeal."), 1.0, 0)]
    assert Filer(None)._piecewise("Appeals are reviewed by a person, and any member of your team can file an appeal.",
                                  owner, set()) is None
    # Embeddings alone never support the whole statement: one part at least must be stated by the rules.
    assert checker._piecewise("Someone looks at it by hand, and you get six months to send yours in.", hits,
                              set()) is None
    # And the parts are stated in one policy document, not pieced together from two.
    other = _policy_clause("You get six months to send an appeal in.")
    other = type(other)("q.md#rules/1", "q.md", *[getattr(other, f) for f in ("doc_title", "section", "number", "text",
                                                                            "page", "char_start", "char_end")])
    two = [Hit(_policy_clause("Appeals are reviewed by a person."), 1.0, 0), Hit(other, 0.9, 1)]
    assert checker._piecewise("Appeals are reviewed by a person, and you get six months to send yours in.", two,
                              set()) is None


def test_a_number_in_a_sentence_that_refers_back_is_about_the_sentence_before():
    # GitHub's Terms: "... provide an Account owner with a copy of your lawful ... Account contents after Account
    # cancellation ... You must make this request within 90 days of cancellation."
    from index.search import Hit

    clause = _policy_clause("Upon request, we will make a reasonable effort to provide an account owner with a copy "
                            "of the lawful account contents after account cancellation. You must make this request "
                            "within 90 days of cancellation.")
    checker = Checker(None)
    statement = "Once your account is cancelled, you have 30 days to ask us for a copy of your lawful account contents."
    support, conflict = checker.weigh(statement, [Hit(clause, 1.0, 0)])
    assert conflict is not None and conflict[2][0].reason == "policy: 90 days; article: 30 days"
    assert support is None
    # Without the reference back, the sentence with the number shares too little with the statement.
    alone = _policy_clause(clause.text.replace("this request", "a request"))
    assert checker.weigh(statement, [Hit(alone, 1.0, 0)])[1] is None


def test_a_defined_term_by_its_other_name_is_on_the_point():
    # legalmattic's Automattic Ads terms: 'Jetpack Ads or WordAds (collectively, "Automattic Ads")'.
    from types import SimpleNamespace

    from ingest.model import Clause
    from index.search import Hit

    def clause(n: int, text: str) -> Clause:
        return Clause(f"ads.md#terms/{n}", "ads.md", "Ads Terms", ("Terms",), None, text, None, 0, len(text))

    defining = clause(1, 'These terms govern your use of Jetpack Ads or WordAds (collectively, "Automattic Ads").')
    age = clause(2, "You must be at least 18 to participate in Automattic Ads.")
    index = SimpleNamespace(store=SimpleNamespace(clauses_of=lambda doc_id: [defining, age]))
    statement = "You can join WordAds or turn on Jetpack Ads once you're 16."
    _, conflict = Checker(index).weigh(statement, [Hit(age, 1.0, 0)])
    assert conflict is not None and conflict[2][0].reason == "policy: 18 years; article: 16 years"
    # With no definition in its document, "Automattic Ads" is just another name.
    index = SimpleNamespace(store=SimpleNamespace(clauses_of=lambda doc_id: [age]))
    assert Checker(index).weigh(statement, [Hit(age, 1.0, 0)])[1] is None


def test_only_a_sentence_that_names_what_the_one_before_is_about_refers_back():
    from consistency.checker import _refers_back

    before = "Upon request, we will provide a copy of the account contents."
    assert _refers_back("You must make this request within 90 days.", before)
    assert _refers_back("It takes 30 days.", before)
    assert not _refers_back("Fees such as bank charges are deducted within 30 days.", before)
    assert not _refers_back("We may update this policy with 30 days notice.", before)
    assert not _refers_back("In this case, we review it within 7 days.", before)


def test_a_defined_term_counts_only_when_the_statement_uses_its_other_name():
    from consistency.checker import _names_in

    assert _names_in("Jetpack Ads or WordAds", "You can join WordAds once you're 16.")
    assert not _names_in("General Data Protection Regulation", "We keep your data safe.")


def test_a_permission_given_for_one_item_of_a_prohibited_list_is_a_conflict():
    # legalmattic's WordPress.com terms: one item of a long "must not" list is what the statement allows.
    from consistency.checker import _listed_flip

    clause, check = _against(_listed_flip, "You must not engage in domain squatting, claim an unreasonable number "
                             "of subdomains (as determined by us), or sell access to any subdomains.")
    found = check("Don't need your free wordpress.com subdomain anymore? You're allowed to sell access to it to "
                  "someone else.")
    assert found is not None and found[1][0].reason == "policy: must not; article: allowed"
    assert check("You must not sell access to your subdomain.") is None  # the same permission
    assert check("You're allowed to pick any free subdomain you like.") is None  # shares too little of an item
    # An item's own modal decides; "may result in" a penalty is no permission given by the list.
    _, check = _against(_listed_flip, "Attempts to sell, buy, or solicit payment for account names are "
                        "prohibited and may result in permanent account suspension.")
    assert check("Selling usernames isn't allowed, and doing so can result in permanent account suspension.") is None
    # A negative inside a condition states no rule: "If we are unable to verify you, ...".
    _, check = _against(_listed_flip, "If we are unable to verify your identity, your request is closed.")
    assert check("We are able to verify your identity, and your request is closed.") is None


def test_a_list_item_is_read_with_its_own_rule():
    from consistency.checker import _listed_flip

    # The modal nearest before an item is its rule: "... must not praise it, and we may exclude it".
    _, check = _against(_listed_flip, "Such videos must not praise the attack, and we may add a warning screen or "
                        "exclude them from the For You feed.")
    assert check("We may exclude such videos from the For You feed.") is None
    assert check("You're allowed to praise the attack in such videos.") is not None
    # Items after "except" or "such as" are exceptions and examples, not what the rule forbids.
    _, check = _against(_listed_flip, "Videos cannot be downloaded, except short clips for news reporting.")
    assert check("You can download short clips for news reporting.") is None
    _, check = _against(_listed_flip, "The appeal form cannot be used for other requests, such as data export or "
                        "account recovery.")
    assert check("You can use the support form for account recovery.") is None
    # "unreasonable" is not "reasonable"; a question asserts nothing; a condition is not the point.
    _, check = _against(_listed_flip, "You must not claim an unreasonable number of usernames or sell usernames.")
    assert check("You can claim a reasonable number of usernames.") is None
    assert check("Can I sell my usernames?") is None
    assert check("You can sell your usernames.") is not None
    _, check = _against(_listed_flip, "You may not use Clipwave Shop for any unlawful purposes.")
    assert check("When using Clipwave Shop, you can offer free shipping.") is None


def test_a_table_cell_stating_the_statements_number_is_read_whatever_its_header():
    # Only "Cookie name" shares a word with the statement's words among the headers; the description that
    # names the cookie's purpose and the expiry that states its duration are read too.
    from index.search import Hit

    clause = _policy_clause("Provider | Cookie name | Description | Expiry\n"
                            "Clipwave | cw_theme | Remembers the colour theme you picked | 1 year\n"
                            "Clipwave | cw_consent | Stores your choice about cookies | 180 days\n")
    checker = Checker(None)
    support, conflict = checker.weigh("Clipwave stores your cookie choice in a cookie that lasts 180 days.",
                                      [Hit(clause, 1.0, 0)])
    assert support is not None and "cw_consent" in clause.text[slice(*support[1].sentence)]
    assert conflict is None or conflict[0] < support[0]  # the other row's year weighs less
    support, conflict = checker.weigh("Clipwave stores your cookie choice in a cookie that lasts 90 days.",
                                      [Hit(clause, 1.0, 0)])
    assert support is None and conflict[2][0].reason == "policy: 180 days; article: 90 days"
    # A header that states a number itself says whom the column is for, not a value to compare.
    ages = _policy_clause("Setting | Ages 13-15 | Adults (18+)\nWho can comment | Friends only | Everyone\n")
    _, conflict = checker.weigh("If you're 13 to 15, only your friends can comment on your videos.",
                                [Hit(ages, 1.0, 0)])
    assert conflict is None or "18" not in conflict[2][0].reason


def test_a_question_on_its_own_states_no_rule():
    # "Can I transfer Coins?" read as "I can transfer Coins" would contradict "Coins cannot be transferred".
    v = Checker(None).check("Can I transfer Coins between accounts?")
    assert v.verdict == NOT_COVERED and "question" in v.reason


@pytest.mark.slow
def test_a_denial_in_other_words_is_judged_with_e5_when_the_index_has_it(shipped_index, monkeypatch):
    from index.embed import load_embedder

    checker = Checker(shipped_index, exclude=("help-centre/",))
    statement = ("If you tell us a friend may be at risk, we message them with help resources, and we never tell them "
                 "who reported them.")
    assert checker.check(statement).verdict == NOT_COVERED  # MiniLM alone: cosine under PARAPHRASE
    monkeypatch.setattr(shipped_index, "companion", load_embedder("e5"))
    verdict = checker.check(statement)
    ev = verdict.evidence[0]
    assert verdict.verdict == SUPPORTED and "who made the report" in ev.clause.text[ev.sentence[0]:ev.sentence[1]]


def test_an_item_under_a_lead_in_that_forbids_is_read_as_forbidden():
    # Lists of prohibited conduct ("Hosts must not:", "Unacceptable behavior includes:") hold their modal in the
    # lead-in line; an item alone ("(b) offer private contact ... in return for Gifts;") states no rule, and once
    # supported a statement that allowed it.
    from index.search import Hit

    rules = _policy_clause("Hosts, guests and LIVE moderators must not:\n"
                           "(a) offer or perform sexually suggestive acts in return for Gifts;\n"
                           "(b) offer private contact, off-platform chats or personal photos in return for Gifts;\n"
                           "(c) beg persistently for Gifts.")
    checker = Checker(None)
    support, conflict = checker.weigh("Hosts may offer private chats or personal photos in return for Gifts.",
                                      [Hit(rules, 1.0, 0)])
    assert support is None and conflict is not None
    assert conflict[2][0].reason == "policy: must not; article: may"
    assert rules.text[slice(*conflict[1].sentence)].startswith("(b) offer private contact")  # the item, cited
    support, conflict = checker.weigh("Hosts must not offer private chats or personal photos in return for Gifts.",
                                      [Hit(rules, 1.0, 0)])
    assert support is not None and conflict is None
    conduct = _policy_clause("Unacceptable behavior includes, but is not limited to:\n"
                             "Trolling, insulting or derogatory comments\n"
                             "Photography or recording of Event Participants without their consent")
    support, conflict = checker.weigh("Attendees may photograph or record other Event Participants without "
                                      "their consent.", [Hit(conduct, 1.0, 0)])
    assert support is None and conflict is not None
    # A lead-in that permits lends nothing: its items are what someone else may be asked to do.
    options = _policy_clause("An eligible requester can ask Clipwave to:\n"
                             "(a) memorialise the account, so it stays as a place to remember the person; or\n"
                             "(b) delete the account and its content.")
    support, conflict = checker.weigh("Nobody can log in to a memorialised account.", [Hit(options, 1.0, 0)])
    assert conflict is None


def test_only_a_lead_in_that_forbids_and_permits_nothing_is_lent_to_its_items():
    from consistency.facts import only_forbids

    assert only_forbids("Hosts, guests and LIVE moderators must not:")
    assert only_forbids("Unacceptable behavior includes, but is not limited to:")
    assert only_forbids("When you use the Services, you acknowledge that you may not:")
    assert not only_forbids("An eligible requester can ask Clipwave to:")
    assert not only_forbids("The following content is allowed but is not eligible for the For You feed:")
    assert not only_forbids("A counter-notice must include:")
