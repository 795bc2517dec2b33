"""The words generated postmortems are made of: teams, people, services and recurring causes.

Kept apart from the code that draws and renders incidents so the content can be read (and
improved) in one place. Every root-cause theme is phrased in several deliberately different
ways, so clustering has to find the theme from meaning rather than from one shared keyword.
Placeholders in braces are filled per incident: {svc} service, {dep} upstream dependency,
{region} region, {pct} a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Organisation
# ---------------------------------------------------------------------------------------------

TEAMS: dict[str, tuple[str, ...]] = {
    "Payments": ("payments-api", "checkout-web", "billing-worker", "ledger-db"),
    "Identity": ("auth-service", "sso-gateway", "user-profile-api"),
    "Platform": ("api-gateway", "k8s-prod", "service-mesh", "ci-runners"),
    "Data": ("events-pipeline", "warehouse-loader", "search-indexer", "kafka-cluster"),
    "Messaging": ("notification-service", "email-sender", "push-gateway"),
}

# Incidents per team are not uniform: the platform everybody stands on breaks most often.
TEAM_WEIGHTS: dict[str, int] = {
    "Payments": 22,
    "Identity": 16,
    "Platform": 30,
    "Data": 20,
    "Messaging": 12,
}

PEOPLE: dict[str, tuple[str, ...]] = {
    "Payments": ("Priya Raman", "Tom Becker", "Lucia Fernández", "Marcus Oyelaran", "Hana Sato"),
    "Identity": ("Jonas Lindqvist", "Aisha Khan", "Daniel Okafor", "Mei Chen"),
    "Platform": ("Sam Rivera", "Olga Petrova", "Kwame Mensah", "Erin Walsh", "Ravi Patel"),
    "Data": ("Nina Hoffmann", "Diego Alvarez", "Yuki Tanaka", "Fatima Zahra"),
    "Messaging": ("Chris Doyle", "Ana Souza", "Piotr Nowak"),
}

REGIONS = ("eu-west-1", "us-east-1", "us-west-2", "ap-southeast-1")

DEPENDENCIES = (
    "Stripe",
    "Twilio",
    "SendGrid",
    "the CDN provider",
    "the cloud provider's object storage",
    "Okta",
    "the managed Redis service",
    "the upstream geocoding API",
)

# Verb phrases that read both in a title ("{svc} timing out after ...") and in a summary
# ("{svc} was timing out for ...").
SYMPTOMS = (
    "returning 5xx errors",
    "timing out",
    "slow to respond",
    "partially unavailable",
    "unavailable",
    "failing requests",
    "serving stale data",
    "dropping messages",
)

# ---------------------------------------------------------------------------------------------
# Root-cause themes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    """Stable name of the theme: the clustering ground truth."""
    category: str
    """How authors write it in front matter `root_cause_category`."""
    weight: int
    title_cause: tuple[str, ...]
    """Short cause for titles and timeline 'root cause identified' rows."""
    what_happened: tuple[str, ...]
    """Root-cause prose; the variants share the meaning, not the words."""
    whys: tuple[tuple[str, str, str, str, str], ...]
    """5-whys chains, the fifth being the root cause."""
    whys_for: tuple[int, ...]
    """For each what_happened variant, the whys chain that tells the same story."""
    immediate_fix: tuple[str, ...]
    permanent_fix: tuple[str, ...]
    mitigation: tuple[str, ...]
    """Timeline wording of the mitigation step."""
    actions: tuple[tuple[str, str], ...]
    """(category, description) action items typical for the theme."""
    tags: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        key="expired_certificate",
        category="Expired certificate",
        weight=10,
        title_cause=("expired TLS certificate", "certificate expiry", "lapsed TLS cert"),
        what_happened=(
            (
                "The TLS certificate served by the {svc} load balancer expired at midnight UTC. "
                "Clients refused the handshake and every HTTPS request failed."
            ),
            (
                "Our cert-manager renewal job had been failing silently for three weeks, so the "
                "certificate for {svc} was never rotated and browsers started rejecting it."
            ),
            (
                "An intermediate CA bundle baked into the {svc} image reached its notAfter date; "
                "mobile clients pinned to it could no longer establish sessions."
            ),
            (
                "Nobody owned renewal of the wildcard cert after the team reorganisation; it "
                "lapsed and mutual-TLS between {svc} and its callers broke."
            ),
        ),
        whys=(
            (
                "Clients could not complete TLS handshakes with {svc}.",
                "The certificate presented by the load balancer had expired.",
                "The automated renewal did not run.",
                "The renewal job's credentials had been rotated and the job failed silently.",
                "No alert watched certificate expiry dates.",
            ),
            (
                "Requests to {svc} failed with handshake errors.",
                "The served cert was past its validity window.",
                "Renewal was a manual calendar reminder.",
                "The reminder belonged to someone who had changed teams.",
                "Certificate renewal had no owner and no monitoring.",
            ),
        ),
        whys_for=(0, 0, 1, 1),
        immediate_fix=(
            "Issued and deployed a new certificate by hand, then restarted the {svc} proxies.",
            "Renewed the certificate through the CA portal and reloaded the load balancer.",
        ),
        permanent_fix=(
            "Move every certificate to automated ACME renewal with expiry alerts at 30 and 7 days.",
            "Inventory all certificates and page the owning team 21 days before expiry.",
        ),
        mitigation=("Deployed renewed certificate", "New cert uploaded to the load balancer"),
        actions=(
            ("detection", "Add expiry monitoring for every TLS certificate we serve"),
            ("prevention", "Move {svc} certificates to automated ACME renewal"),
            ("prevention", "Assign an owning team to each certificate in the inventory"),
            ("response", "Write a runbook for emergency certificate replacement"),
            ("detection", "Alert when the renewal job has not succeeded in 7 days"),
        ),
        tags=("tls", "certificates"),
    ),
    Theme(
        key="bad_config_push",
        category="Bad configuration change",
        weight=14,
        title_cause=(
            "bad config push",
            "faulty configuration change",
            "feature flag misconfiguration",
        ),
        what_happened=(
            (
                "A configuration change to {svc} set the connection pool size to 0 and was rolled "
                "out to all regions at once, so every instance refused new work."
            ),
            (
                "A feature flag meant for internal users was flipped for 100% of traffic; the code "
                "path behind it was unfinished and threw on every request."
            ),
            (
                "An edit to the rate-limit rules contained a typo in the path pattern, which "
                "matched every route of {svc} instead of one, and throttled legitimate traffic."
            ),
            (
                "The YAML for the {svc} routing table was pushed with wrong indentation; the "
                "parser accepted it and silently dropped half of the upstreams."
            ),
        ),
        whys=(
            (
                "{svc} rejected requests.",
                "A config value pushed minutes earlier was invalid.",
                "The config pipeline does not validate values against the schema.",
                "Validation was skipped to ship a hotfix faster.",
                "Config changes go to every region at once with no canary.",
            ),
            (
                "Users saw errors from {svc}.",
                "A flag was enabled for everyone instead of a test cohort.",
                "The flag tool's targeting UI is easy to misread.",
                "There is no review for flag changes in production.",
                "Flag changes are not treated as deploys.",
            ),
        ),
        whys_for=(0, 1, 0, 0),
        immediate_fix=(
            "Reverted the configuration change and forced a reload on all {svc} instances.",
            "Turned the flag off and purged the cached config.",
        ),
        permanent_fix=(
            "Stage config changes through a canary region with automatic rollback on errors.",
            "Validate every config push against a schema in CI before it can be applied.",
        ),
        mitigation=(
            "Reverted the config change",
            "Rolled back the rules globally",
            "Flag turned off for all users",
        ),
        actions=(
            ("prevention", "Validate {svc} config against a schema in CI"),
            ("prevention", "Roll config changes out region by region with a canary"),
            ("detection", "Alert on error-rate change within 5 minutes of any config push"),
            ("response", "Add a one-command config rollback to the runbook"),
            ("prevention", "Require a second reviewer for production flag changes"),
        ),
        tags=("config", "change-management"),
    ),
    Theme(
        key="dns",
        category="DNS",
        weight=9,
        title_cause=("DNS resolution failures", "DNS misconfiguration", "broken DNS record"),
        what_happened=(
            (
                "A Terraform change removed the CNAME for {svc}; once resolver caches expired, "
                "clients could no longer find the service."
            ),
            (
                "The cluster's CoreDNS pods were OOM-killed under load, so service discovery "
                "inside the cluster returned SERVFAIL for several minutes at a time."
            ),
            (
                "Name lookups for {svc} started failing after our DNS provider propagated a zone "
                "file with a wrong delegation for the subdomain."
            ),
            (
                "A low TTL combined with a resolver outage in {region} meant hostnames stopped "
                "resolving and connections to {svc} could not be opened."
            ),
        ),
        whys=(
            (
                "Clients could not reach {svc}.",
                "Its hostname did not resolve.",
                "The DNS record had been deleted by an infrastructure change.",
                "The plan output hid the deletion among hundreds of unrelated lines.",
                "DNS records are not protected against deletion in Terraform.",
            ),
            (
                "Service-to-service calls failed intermittently.",
                "In-cluster name resolution returned SERVFAIL.",
                "CoreDNS pods were being OOM-killed.",
                "Their memory limit was sized for a cluster a third of today's size.",
                "Cluster DNS capacity is never revisited as the cluster grows.",
            ),
        ),
        whys_for=(0, 1, 0, 1),
        immediate_fix=(
            "Restored the DNS record from the previous zone export.",
            "Raised CoreDNS memory limits and scaled it to 6 replicas.",
        ),
        permanent_fix=(
            "Add prevent_destroy to DNS records and a synthetic lookup check per public name.",
            "Autoscale cluster DNS with node count and cache negative answers locally.",
        ),
        mitigation=("Re-created the missing DNS record", "Scaled up CoreDNS"),
        actions=(
            ("prevention", "Protect DNS records from deletion in Terraform"),
            ("detection", "Add synthetic DNS resolution checks for public hostnames"),
            ("prevention", "Autoscale CoreDNS with the number of nodes"),
            ("recovery", "Keep nightly exports of every DNS zone"),
        ),
        tags=("dns", "networking"),
    ),
    Theme(
        key="database_failover",
        category="Database failover",
        weight=11,
        title_cause=(
            "database failover",
            "primary database failure",
            "replica promotion gone wrong",
        ),
        what_happened=(
            (
                "The primary Postgres node behind {svc} lost its disk; automatic failover promoted a "
                "replica that was 40 minutes behind, and writes failed until it caught up."
            ),
            (
                "A failover of the {svc} database cluster left the application holding connections "
                "to the old primary, which had become read-only, so every write errored."
            ),
            (
                "During planned maintenance the database switchover hung halfway, leaving two nodes "
                "that both believed they were primary until we fenced one manually."
            ),
            (
                "Replication lag on the {svc} replicas grew unnoticed; when the primary crashed the "
                "promoted node was missing recent rows and we had to stop writes to reconcile."
            ),
        ),
        whys=(
            (
                "Writes to {svc} failed.",
                "The application was connected to a node that was no longer primary.",
                "The connection pool does not re-resolve the primary after failover.",
                "Failover was never exercised against the application, only the database.",
                "We have no regular failover drills.",
            ),
            (
                "Data written during the incident was missing afterwards.",
                "The promoted replica lagged far behind the old primary.",
                "Replication lag was not alerted on.",
                "The lag alert was removed during a noisy period and never restored.",
                "Alert removals are not reviewed.",
            ),
        ),
        whys_for=(1, 0, 0, 1),
        immediate_fix=(
            "Restarted the {svc} pods so they reconnected to the new primary.",
            "Fenced the old primary and promoted the healthiest replica by hand.",
        ),
        permanent_fix=(
            "Run quarterly failover drills and make the pool follow the cluster's writer endpoint.",
            "Alert on replication lag over 30 seconds and block promotion of lagging replicas.",
        ),
        mitigation=("Promoted a replica to primary", "Failed over to the standby database"),
        actions=(
            ("prevention", "Make the {svc} connection pool follow the writer endpoint"),
            ("detection", "Alert on replication lag above 30 seconds"),
            ("response", "Schedule quarterly database failover drills"),
            ("recovery", "Document how to reconcile writes after a lagging promotion"),
            ("prevention", "Block promotion of replicas lagging more than 1 minute"),
        ),
        tags=("database", "postgres"),
    ),
    Theme(
        key="capacity_limit",
        category="Capacity",
        weight=13,
        title_cause=(
            "capacity exhaustion",
            "disk full",
            "connection limit reached",
            "traffic spike",
        ),
        what_happened=(
            (
                "A marketing email drove {pct}% more traffic than forecast to {svc}; the autoscaler "
                "hit its maximum replica count and requests queued until they timed out."
            ),
            (
                "The disk on the {svc} database filled up with WAL files because an archive job was "
                "stuck, and the database stopped accepting writes."
            ),
            (
                "{svc} ran out of database connections: a new batch job opened hundreds of them "
                "and starved the request path."
            ),
            (
                "The Kafka partition backing {svc} hit its retention-size limit and producers were "
                "blocked, which backed up every service upstream."
            ),
        ),
        whys=(
            (
                "Requests to {svc} timed out.",
                "All instances were saturated.",
                "The autoscaler had reached its max replica setting.",
                "The ceiling was set two years ago and never revisited.",
                "Capacity limits are not part of the launch checklist for campaigns.",
            ),
            (
                "The database refused writes.",
                "Its disk was full.",
                "WAL files accumulated because archiving was stuck.",
                "The archive job failed on an expired credential.",
                "Disk usage was alerted at 95%, too late to act.",
            ),
        ),
        whys_for=(0, 1, 0, 1),
        immediate_fix=(
            "Raised the replica ceiling and shed low-priority traffic at the gateway.",
            "Freed disk space by clearing archived WAL files, then extended the volume.",
        ),
        permanent_fix=(
            "Add capacity review to campaign launches and alert at 70% of every hard limit.",
            "Make the archive job page on failure and grow volumes automatically.",
        ),
        mitigation=("Scaled out {svc}", "Raised the autoscaler limit", "Extended the volume"),
        actions=(
            ("prevention", "Review autoscaler limits for {svc} quarterly"),
            ("detection", "Alert at 70% of disk, connection and replica limits"),
            ("prevention", "Add a capacity check to the campaign launch checklist"),
            ("response", "Add load-shedding switch for low-priority traffic"),
            ("recovery", "Automate volume growth for database disks"),
        ),
        tags=("capacity", "scaling"),
    ),
    Theme(
        key="dependency_outage",
        category="Third-party dependency",
        weight=10,
        title_cause=(
            "upstream provider outage",
            "third-party dependency failure",
            "vendor API outage",
        ),
        what_happened=(
            (
                "{dep} had a regional outage; {svc} calls to it hung for the full 60-second timeout "
                "and exhausted our worker threads."
            ),
            (
                "Our upstream provider {dep} started returning 502s for roughly a third of calls, and "
                "we had no fallback path, so {svc} failed the same share of user requests."
            ),
            (
                "{dep} silently changed an API response field; our client crashed on deserialising "
                "it and {svc} stopped processing its queue."
            ),
            (
                "A vendor incident at {dep} made their API unreachable from {region}; retries from "
                "every instance of {svc} amplified the load when it came back."
            ),
        ),
        whys=(
            (
                "{svc} stopped serving requests.",
                "All worker threads were blocked on calls to {dep}.",
                "{dep} was down and our timeout was 60 seconds.",
                "The timeout was copied from an example and never tuned.",
                "There is no circuit breaker around third-party calls.",
            ),
            (
                "{svc} failed a third of user requests.",
                "Its upstream {dep} was returning errors.",
                "We depend on one provider with no fallback.",
                "A second provider was judged too expensive last year.",
                "Dependency risk is not reviewed when the dependency becomes critical.",
            ),
        ),
        whys_for=(0, 1, 1, 0),
        immediate_fix=(
            "Lowered the timeout to 3 seconds and queued the calls to {dep} for later retry.",
            "Switched {svc} to the secondary provider until {dep} recovered.",
        ),
        permanent_fix=(
            "Wrap every third-party call in a circuit breaker with a tested degraded mode.",
            "Contract a second provider and fail over automatically on error rate.",
        ),
        mitigation=(
            "Enabled the degraded mode",
            "Switched to the secondary provider",
            "Opened the circuit breaker",
        ),
        actions=(
            ("prevention", "Add a circuit breaker around calls to {dep}"),
            ("prevention", "Set timeouts for third-party calls to 3 seconds"),
            ("detection", "Subscribe the on-call channel to {dep} status updates"),
            ("response", "Document the manual switch to the secondary provider"),
            ("recovery", "Add jittered backoff to retries after an upstream outage"),
        ),
        tags=("dependency", "vendor"),
    ),
    Theme(
        key="deploy_rollback",
        category="Bad deploy",
        weight=14,
        title_cause=("bad deploy", "regression in release", "failed rollout"),
        what_happened=(
            (
                "Release 4.{pct} of {svc} contained a migration that locked the orders table; the "
                "deploy went out to every pod before the lock showed up in the metrics."
            ),
            (
                "A dependency bump in the latest {svc} build changed JSON serialisation of dates, "
                "which broke every downstream consumer; we had to roll back."
            ),
            (
                "The new {svc} version leaked memory under production traffic and pods were "
                "OOM-killed in a loop until the previous image was redeployed."
            ),
            (
                "A code change that passed review removed a null check; the first request without "
                "a locale crashed the handler, and the rollout was reverted."
            ),
        ),
        whys=(
            (
                "{svc} crashed on startup.",
                "The newly deployed version contained a bug.",
                "Tests did not cover the failing path.",
                "The staging data lacked the shape that triggers it.",
                "Deploys go to all pods at once with no canary stage.",
            ),
            (
                "Consumers failed to read {svc} responses.",
                "The response format changed in the new release.",
                "A library upgrade changed serialisation defaults.",
                "Contract tests between services do not exist.",
                "Breaking changes are not caught before production.",
            ),
        ),
        whys_for=(0, 1, 0, 0),
        immediate_fix=(
            "Rolled back {svc} to the previous release.",
            "Reverted the offending commit and redeployed.",
        ),
        permanent_fix=(
            "Introduce a canary stage that holds each deploy at 5% for 15 minutes.",
            "Add consumer contract tests to the {svc} pipeline.",
        ),
        mitigation=(
            "Rolled back to the previous release",
            "Rollback completed",
            "Reverted the deploy",
        ),
        actions=(
            ("prevention", "Add a canary stage to the {svc} deploy pipeline"),
            ("prevention", "Add contract tests between {svc} and its consumers"),
            ("detection", "Compare error rates of canary and baseline automatically"),
            ("response", "Make rollback a single button in the deploy tool"),
            ("prevention", "Run migrations separately from application deploys"),
        ),
        tags=("deploy", "release"),
    ),
    Theme(
        key="network_routing",
        category="Network",
        weight=8,
        title_cause=("network routing problem", "BGP route leak", "packet loss between regions"),
        what_happened=(
            (
                "A change to the transit gateway route table sent traffic for {region} into a black "
                "hole; {svc} could not reach its database across the peering link."
            ),
            (
                "Our provider withdrew a BGP prefix during maintenance, and traffic between regions "
                "took a path with {pct}% packet loss for almost an hour."
            ),
            (
                "A security-group rule cleanup removed the rule allowing {svc} to talk to the "
                "cache subnet; connections were silently dropped."
            ),
            (
                "MTU mismatch after a VPN upgrade fragmented large packets, so only requests with "
                "big payloads to {svc} failed, which made the fault hard to see."
            ),
        ),
        whys=(
            (
                "{svc} could not reach its database.",
                "Packets between the subnets were dropped.",
                "A route table change removed the route to the peering link.",
                "The change was applied without a plan review.",
                "Network changes are not tested in a staging VPC.",
            ),
            (
                "Some requests to {svc} hung.",
                "Large packets were dropped on the new VPN path.",
                "The MTU changed with the VPN upgrade.",
                "The upgrade notes did not mention it.",
                "We have no path-MTU checks in our network monitoring.",
            ),
        ),
        whys_for=(0, 0, 0, 1),
        immediate_fix=(
            "Restored the previous route table and confirmed connectivity from every subnet.",
            "Lowered the MTU on the tunnel interfaces.",
        ),
        permanent_fix=(
            "Manage routes through reviewed Terraform with a connectivity test after apply.",
            "Add cross-region packet-loss and path-MTU probes.",
        ),
        mitigation=("Put the previous route table back", "Traffic rerouted via {region}"),
        actions=(
            ("prevention", "Move route tables into reviewed Terraform"),
            ("detection", "Add packet-loss probes between regions"),
            ("detection", "Run a connectivity test after every network change"),
            ("response", "Document how to reroute traffic between regions"),
        ),
        tags=("network", "routing"),
    ),
    Theme(
        key="data_deletion",
        category="Data deletion",
        weight=5,
        title_cause=("accidental data deletion", "data loss from cleanup job", "dropped table"),
        what_happened=(
            (
                "A cleanup script meant for the staging database ran against production and "
                "deleted {pct}% of the rows in the {svc} accounts table."
            ),
            (
                "A retention job with an off-by-one date filter purged records that were still "
                "active, and users of {svc} lost their saved settings."
            ),
            (
                "A migration dropped and recreated a table instead of altering it; the data was "
                "gone until we restored from the nightly backup."
            ),
            (
                "An engineer truncated what they believed was a scratch table used by {svc}; it "
                "turned out to hold the live session state."
            ),
        ),
        whys=(
            (
                "Users of {svc} found their data missing.",
                "Rows were deleted from the production table.",
                "A script ran with production credentials.",
                "The same credentials were configured for staging and production.",
                "Destructive operations have no guard rail or second pair of eyes.",
            ),
            (
                "Active records were purged.",
                "The retention job's date filter was off by one period.",
                "The job had no test with realistic dates.",
                "It was written as a one-off and later scheduled.",
                "Scheduled jobs are not reviewed like services.",
            ),
        ),
        whys_for=(0, 1, 0, 0),
        immediate_fix=(
            "Stopped the job and restored the deleted rows from the nightly backup.",
            "Restored the table from point-in-time recovery and replayed the day's writes.",
        ),
        permanent_fix=(
            "Separate production credentials and require a dry-run output before any delete.",
            "Soft-delete with a 30-day grace period for all user-facing tables.",
        ),
        mitigation=("Started restore from backup", "Stopped the cleanup job"),
        actions=(
            ("prevention", "Separate staging and production database credentials"),
            ("prevention", "Require a dry run before destructive scripts"),
            ("recovery", "Test restoring the {svc} database from backup monthly"),
            ("detection", "Alert when a table loses more than 5% of its rows in an hour"),
        ),
        tags=("data-loss", "database"),
    ),
)

GENERIC_ACTIONS: tuple[tuple[str, str], ...] = (
    ("response", "Update the on-call runbook for {svc}"),
    ("detection", "Add a dashboard panel for {svc} saturation"),
    ("response", "Post status page updates within 15 minutes of declaring an incident"),
    ("recovery", "Measure and document recovery time for {svc}"),
    ("detection", "Lower the paging threshold for {svc} error rate"),
    ("response", "Run an incident-response game day with the {team} team"),
)

# ---------------------------------------------------------------------------------------------
# Timeline wording, by kind; {svc}, {cause}, {who}, {fix} filled per incident.
# ---------------------------------------------------------------------------------------------

EVENT_WORDING: dict[str, tuple[str, ...]] = {
    "impact_start": (
        "Error rate on {svc} starts climbing",
        "Impact begins: {svc} requests failing",
        "First failed requests on {svc}",
        "{svc} latency rises above the SLO",
    ),
    "alert_monitoring": (
        "First alert triggered",
        "PagerDuty paged on-call for {svc}",
        "Alert fired: {svc} 5xx rate above 5%",
        "Datadog monitor for {svc} latency fires",
    ),
    "alert_customer": (
        "First customer report received via support",
        "Customer reports errors on {svc} through the support desk",
        "Support forwards customer complaints about {svc}",
    ),
    "alert_internal": (
        "Internal user reports {svc} errors in #help",
        "Colleague from sales reports {svc} not loading",
    ),
    "alert_test": (
        "Nightly end-to-end test against {svc} fails",
        "Synthetic test for {svc} fails in CI",
    ),
    "acknowledged": (
        "Incident acknowledged",
        "On-call acks the page",
        "{who} acknowledged the incident",
        "On-call engineer acknowledges the alert",
    ),
    "root_cause": (
        "Root cause identified: {cause}",
        "Cause found: {cause}",
        "Team identifies {cause} as the cause",
    ),
    "mitigation": (
        "Mitigation applied: {fix}",
        "{fix}",
        "Mitigation started: {fix}",
    ),
    "restored": (
        "Service restored",
        "Error rates back to normal",
        "{svc} fully recovered",
        "Service restored for all users",
    ),
    "all_clear": (
        "All-clear declared",
        "Incident closed",
        "Incident resolved after monitoring period",
    ),
    "other": (
        "Status page updated",
        "Update posted to #incidents",
        "Support team briefed with a holding statement",
        "Engineering manager joined the call",
        "Stakeholder update sent",
    ),
}

# ---------------------------------------------------------------------------------------------
# Prose pools for the sections that are not measured but make a document read like one.
# ---------------------------------------------------------------------------------------------

BUSINESS_IMPACT = (
    "Roughly {money} in delayed transactions; no SLA credits owed.",
    "Several enterprise customers opened tickets; account managers followed up.",
    "Estimated {money} of lost revenue during the outage window.",
    "No direct revenue impact; internal teams lost most of a working afternoon.",
)

DETECTION_GAP = (
    "An alert on the leading signal would have fired well before users noticed.",
    "A synthetic check from outside our network would have caught this within minutes.",
    "We only alert on the error rate, not on the cause that was visible an hour earlier.",
    "Nothing watched this; we relied on customers telling us.",
)

WENT_WELL = (
    "The on-call engineer escalated quickly",
    "The runbook for this service was accurate",
    "Rollback tooling worked as designed",
    "Communication in the incident channel was clear",
    "Support had a holding statement ready within minutes",
)

COULD_IMPROVE = (
    "It took too long to find the right dashboard",
    "The alert went to a channel nobody watches at night",
    "We changed two things at once while debugging",
    "Status page updates lagged behind what we knew",
    "Ownership of the failing component was unclear",
)

GOT_LUCKY = (
    "The failure happened outside peak hours",
    "An engineer who knew the system was still online",
    "The backup from the night before was intact",
)

TECH_LESSONS = (
    "Timeouts must be shorter than the caller's patience",
    "Every hard limit needs an alert well below it",
    "A change that cannot be rolled back needs a canary",
    "Defaults copied from examples are rarely right for production",
)

PROCESS_LESSONS = (
    "Changes to shared infrastructure need a second reviewer",
    "Runbooks must be tested, not just written",
    "Ownership must survive team reorganisations",
)

CULTURAL_LESSONS = (
    "Asking for help early was the right call",
    "Nobody was blamed, so the timeline was honest",
    "Pausing to write down hypotheses saved time",
)
