"""The words each failure mechanism is told with: features of the mechanism model.

Written from the definitions of `docs/labelling-guide.md`, Part 3, and operations experience,
once, before they were tried (not edited to fit a result). The model learns how much each
list counts: a word list pools the evidence of many phrases into one feature per mechanism, so
a mechanism with six training documents (hardware, expiry) is still learned from its words
rather than from whichever of them those six happened to use. Cross-validated by document on
the 222 training documents through the real grouping (`devtools/mechanisms.py`, 5 folds, three
shuffles, each feature set at the setting its sweep chose): pairwise F1 0.335 -> 0.356,
accuracy 0.462 -> 0.491. On the frozen test split, once, after the choice: accuracy 0.455 ->
0.505, pairwise F1 0.329 -> 0.368 (the shipped model before, at its own setting).

Phrases go through the same tokeniser and stemmer as the texts, so "expired" also matches
"expires" and "third-party" matches "third party".
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.clusters.text import stem, words


def _t(text: str) -> tuple[str, ...]:
    """Phrases separated by commas (keeps the table below readable)."""
    return tuple(" ".join(p.split()) for p in text.split(",") if p.strip())


MECHANISM_WORDS: dict[str, tuple[str, ...]] = {
    "expiry": _t("""expired, expire, expires, expiry, expiration, expiring, renew, renewal,
        renewed, not renewed, lapsed, lapse, not after, validity, valid until, rotation, rotate,
        rotated, token lifetime, end of life, out of date certificate, domain registration,
        licence, license, certificate, cert, ca bundle"""),
    "config_change": _t("""configuration, config, configured, misconfiguration, misconfigured,
        setting, settings, flag, feature flag, toggle, manifest, terraform, helm, yaml, rule,
        rules, permission, permissions, policy, parameter, value was changed, changed the,
        change to the, iam, dns record change, firewall rule, default, environment variable,
        timeout was"""),
    "code_deploy": _t("""deploy, deployed, deployment, release, released, rollout, rolled out,
        upgrade, upgraded, version, new version, migration, migrated, bump, bumped, regression,
        commit, merged, pull request, update, updated, introduced, shipped, patch, hotfix,
        dependency update, library update, build"""),
    "capacity": _t("""capacity, out of memory, oom, oomkilled, memory, disk full, disk space,
        ran out, run out, running out, exhausted, exhaustion, quota, limit, limits, rate limit,
        throttled, throttling, load, traffic spike, spike, surge, increased traffic,
        saturation, saturated, overloaded, overload, autoscaling, scale, scaling, pool,
        connection pool, starvation, backlog, hug of death, demand, concurrent"""),
    "third_party": _t("""provider, vendor, upstream, third party, aws, amazon web services, gcp,
        google cloud, azure, cloudflare, github, fastly, akamai, saas, docker hub, registry,
        cdn, external, partner, our provider, their, outage at, regional outage,
        service provider, hosting provider, npm, pypi, status page"""),
    "dns": _t("""dns, resolve, resolution, resolver, resolvers, nameserver, name server, zone,
        record, records, cname, route 53, route53, coredns, lookup, domain name"""),
    "network": _t("""network, networking, routing, route, bgp, packet loss, packets,
        connectivity, firewall, load balancer, partition, switch, router, link, fiber, peering,
        vpn, latency, subnet, interconnect, transit"""),
    "database": _t("""database, db, postgres, postgresql, mysql, mongodb, redis, replication,
        replica, primary, failover, lock, locks, deadlock, vacuum, query plan, query, index,
        corruption, corrupted, transaction, wraparound, writer, sql"""),
    "data_deletion": _t("""deleted, deletion, delete, wiped, overwritten, overwrote, truncated,
        dropped table, purge, purged, removed data, clean up job, cleanup, data loss,
        lost data"""),
    "hardware": _t("""hardware, power, power outage, power loss, lost power, disk failure,
        failed disk, cooling, data center, datacenter, rack, psu, nic, faulty, server failure,
        host failure, hypervisor, generator, ups, drive failure, hard drive, ssd"""),
    "time": _t("""clock, clocks, time zone, timezone, leap second, leap year, daylight saving,
        dst, date, year, calendar, epoch, ntp, midnight, utc, timestamp, y2k, new year"""),
    "security": _t("""attack, attacker, attackers, compromise, compromised, malicious, ddos,
        exploit, exploited, vulnerability, leaked, leak of, stolen, phishing, spam, abuse,
        abused, unauthorized, unauthorised, intrusion, breach, hacker, malware, credential,
        secret, token was, bot, bots, denial of service, security"""),
    "operator_action": _t("""manually, manual, by hand, ran a command, ran the command, command,
        accidentally, accidental, mistakenly, mistake, by mistake, wrong cluster, wrong,
        operator, human error, typo, inadvertently, unintentionally, engineer, console, script,
        ran"""),
    "latent_bug": _t("""bug, race condition, race, edge case, crash, crashed, panic,
        null pointer, nil pointer, memory leak, leak, long standing, existing bug, unexpected,
        overflow, infinite loop, loop, exception, unhandled, corner case, defect, flaw,
        logic error"""),
}

# A sentence that says what caused what: where authors state the mechanism, while the
# sentences around it recount symptoms and the search. Matched on lowercased text (an
# IGNORECASE search costs three times as much, and every cause text of a load passes here).
_CAUSAL = re.compile(
    r"root[- ]?caus|caused by|\bcause[ds]?\b|due to|because|trigger|result(?:ed)? (?:of|from|in)"
    r"|led to|was the result|stemm|introduc|was a (?:bug|misconfig)|the issue was"
    r"|the problem was|responsible for"
)
_SENTENCE_BREAK = re.compile(r"[.!?;]\s+|\n+")


def _index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First stem of a phrase -> (the phrase's stems, its mechanism)."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for mechanism, phrases in MECHANISM_WORDS.items():
        for phrase in phrases:
            key = tuple(stem(w) for w in words(phrase))
            if key:
                by_first[key[0]].append((key, mechanism))
    return dict(by_first)


_INDEX = _index()


def mechanism_phrases(tokens: list[str]) -> dict[str, set[tuple[str, ...]]]:
    """The mechanisms whose words occur in a text's stems (stopwords kept), each with the
    distinct phrases found."""
    found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for i, token in enumerate(tokens):
        for key, mechanism in _INDEX.get(token, ()):
            if len(key) == 1 or tuple(tokens[i : i + len(key)]) == key:
                found[mechanism].add(key)
    return found


def causal_sentences(text: str) -> list[str]:
    """The sentences of a text that say what caused what, lowercased."""
    return [s for s in _SENTENCE_BREAK.split(text.lower()) if _CAUSAL.search(s)]
