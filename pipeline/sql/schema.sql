-- The tables ingest writes. A contract: the dashboard, the CLI, the report and the views
-- read these names. README's "Tables" section is checked against this file by a test.
-- Times are TIMESTAMP in UTC; dates are DATE.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE incidents (
    incident_id         VARCHAR PRIMARY KEY,
    title               VARCHAR,
    status              VARCHAR,      -- 'DRAFT' | 'FINAL' | NULL
    authors             VARCHAR[],
    incident_date       DATE,
    last_updated        DATE,
    severity            VARCHAR,      -- 'P0'..'P3' | NULL
    duration_minutes    INTEGER,
    duration_derived    VARCHAR,      -- NULL when written as a field; 'prose' (told in a sentence), 'front_matter' (start/end keys) or 'timeline' (impact start or first alert to restored)
    duration_evidence   VARCHAR,      -- what a written, prose or front-matter duration was read from, with its line
    users_affected      BIGINT,
    traffic_pct         DOUBLE,
    data_loss           VARCHAR,      -- 'None' | 'Partial' | 'Complete' | NULL
    summary             VARCHAR,
    business_impact     VARCHAR,
    data_impact         VARCHAR,
    what_happened       VARCHAR,
    root_cause          VARCHAR,
    detection_gap       VARCHAR,
    immediate_fix       VARCHAR,
    permanent_fix       VARCHAR,
    services            VARCHAR[],
    team                VARCHAR,
    tags                VARCHAR[],
    root_cause_category VARCHAR,      -- pinned by the authors in front matter; wins over clustering
    completeness        DOUBLE,       -- share of template sections really filled in, 0..1
    cause_text          VARCHAR,      -- what the cause grouping reads (whys, root cause, what happened; else summary, prose; keywords)
    cause_source        VARCHAR,      -- 'root_cause' | 'summary' | 'prose' | 'front_matter' | NULL
    impact_started_at   TIMESTAMP,    -- first timeline event of each kind, UTC
    detected_at         TIMESTAMP,
    acknowledged_at     TIMESTAMP,
    root_caused_at      TIMESTAMP,
    mitigated_at        TIMESTAMP,
    restored_at         TIMESTAMP,
    resolved_at         TIMESTAMP,
    source_path         VARCHAR,
    content_sha256      VARCHAR
);

CREATE TABLE timeline (
    incident_id VARCHAR,
    seq         INTEGER,              -- 1-based, document order
    occurred_at TIMESTAMP,            -- UTC; NULL when the time could not be read
    time_text   VARCHAR,              -- as written
    event       VARCHAR,
    kind        VARCHAR,              -- impact_start|alert|acknowledged|root_cause|mitigation|restored|all_clear|other
    line        INTEGER,
    kind_stated BOOLEAN,              -- the author stated the kind ([restored] tag or the template's phrase)
    kind_confidence DOUBLE            -- the model's confidence in the kind, 0..1 (1 when stated)
);

CREATE TABLE actions (
    incident_id VARCHAR,
    action_id   VARCHAR,              -- as written in the ID column; NULL when only in the categorized lists
    description VARCHAR,
    owner       VARCHAR,              -- trimmed, leading '@' removed, NULL when blank
    due_date    DATE,                 -- NULL when not a calendar date
    due_text    VARCHAR,              -- as written
    status      VARCHAR,              -- todo|in_progress|done|wont_do
    category    VARCHAR,              -- prevention|detection|response|recovery|NULL
    line        INTEGER
);

CREATE TABLE detection_methods (
    incident_id VARCHAR,
    method      VARCHAR               -- automated_monitoring|customer_report|internal_user|automated_test|other
);

CREATE TABLE whys (
    incident_id   VARCHAR,
    level         INTEGER,
    text          VARCHAR,
    is_root_cause BOOLEAN,
    line          INTEGER
);

CREATE TABLE learnings (
    incident_id VARCHAR,
    kind        VARCHAR,              -- went_well|could_improve|got_lucky|technical|process|cultural|other
    seq         INTEGER,
    text        VARCHAR,
    line        INTEGER
);

CREATE TABLE related_incidents (
    incident_id VARCHAR,
    reference   VARCHAR,              -- an incident id or URL when one could be read, else the text
    text        VARCHAR,
    line        INTEGER
);

CREATE TABLE signoffs (
    incident_id VARCHAR,
    role        VARCHAR,
    name        VARCHAR,
    signed_on   DATE,
    approved    BOOLEAN,
    line        INTEGER
);

CREATE TABLE root_cause_clusters (
    incident_id   VARCHAR,
    cluster_id    INTEGER,
    cluster_label VARCHAR,            -- the group's name, e.g. 'Expired certificate or credential'
    similarity    DOUBLE,             -- how strongly the incident belongs to its cluster, 0..1
    terms         VARCHAR[],          -- the words that tie the incident to its cluster
    mechanism     VARCHAR,            -- the failure mechanism the model found in the text ('other' when unclear)
    assignment    VARCHAR,            -- 'found' (by the grouping) or 'pinned' (front matter or causes.yml)
    what_failed   VARCHAR             -- the first sentence of the cause: what broke this time
);

CREATE TABLE cluster_cache (
    key   VARCHAR,                    -- what the clustering worked out: 'mech:<text digest>' or 'similar:<set digest>'
    value VARCHAR                     -- its result (JSON), reused by the next load
);

CREATE TABLE source_files (
    source_path    VARCHAR PRIMARY KEY,
    content_sha256 VARCHAR,
    size_bytes     BIGINT,
    mtime_ns       BIGINT,
    outcome        VARCHAR,           -- loaded|loaded_with_warnings|rejected
    claimed_id     VARCHAR,           -- the id the document gives (NULL when it gives none)
    incident_id    VARCHAR            -- the id it was loaded under; NULL when rejected
);

CREATE TABLE load_problems (
    source_path VARCHAR,
    line        INTEGER,              -- NULL when the problem concerns the whole file
    level       VARCHAR,              -- error|warning
    code        VARCHAR,
    message     VARCHAR
);
