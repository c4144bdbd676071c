-- agent_memory: the agent's episodic, semantic and working memory, exactly as
-- spec/data-architecture.md §4.2 defines the five tables (same names, types, defaults, CHECKs,
-- generated column and cascading foreign keys), plus indexes for the lookups the memory
-- plugin (plugins/service_memory) makes. Applied by core/tools/migrate.sh in one transaction
-- under SET ROLE <database owner>.
--
-- Embeddings are 1024 floats. The column type depends on pgvector:
--   * `CREATE EXTENSION vector` succeeds → embedding vector(1024) with an HNSW cosine index
--     (m = 16, ef_construction = 64, as the original);
--   * otherwise                           → embedding real[] with a CHECK of 1024 elements
--     (what vector(1024) would enforce); the plugin then searches with its own exact index.
-- The tables are created with real[] first and switched to vector(1024) in the DO block at
-- the end when the extension exists, so there is one table definition for both cases.

-- CREATE EXTENSION needs the superuser: leave the owner role for it, remember which role that
-- was, and go back to it afterwards (no role name is written here).
DO $mig$
BEGIN
    PERFORM set_config('dsm.migration_role', current_user, true);
END
$mig$;
RESET ROLE;
DO $mig$
BEGIN
    CREATE EXTENSION IF NOT EXISTS vector;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pgvector is not available (%): embeddings are stored as real[]', SQLERRM;
END
$mig$;
DO $mig$
BEGIN
    EXECUTE format('SET ROLE %I', current_setting('dsm.migration_role'));
END
$mig$;

-- Episodes: one orchestration decision each (context = the perception record, decision = the
-- reasoning, actions = what was done; outcome filled in later).
CREATE TABLE agent_episodes (
    episode_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id VARCHAR(50) NOT NULL,
    episode_type VARCHAR(255) NOT NULL,
    timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    context JSONB NOT NULL,
    decision JSONB NOT NULL,
    actions JSONB NOT NULL,
    patterns JSONB,
    outcome JSONB,
    outcome_quality FLOAT CHECK (outcome_quality BETWEEN 0 AND 1),
    outcome_recorded_at TIMESTAMPTZ,
    embedding real[],                       -- vector(1024) with pgvector, see the end
    requires_embedding BOOLEAN DEFAULT false,
    agent_version VARCHAR(20) NOT NULL,
    control_mode VARCHAR(50) DEFAULT 'rule_based_only',
    decision_source VARCHAR(50),
    sprint_id VARCHAR(50),
    chronicle_note_id UUID
);

-- Learned knowledge: strategies, patterns, constraints, heuristics.
CREATE TABLE agent_knowledge (
    knowledge_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    knowledge_type VARCHAR(50) NOT NULL,
    content JSONB NOT NULL,
    description TEXT NOT NULL,
    confidence FLOAT DEFAULT 0.5 CHECK (confidence BETWEEN 0 AND 1),
    supporting_episodes UUID[] NOT NULL DEFAULT '{}',
    contradicting_episodes UUID[] DEFAULT '{}',
    times_applied INTEGER DEFAULT 0,
    success_count INTEGER DEFAULT 0,
    failure_count INTEGER DEFAULT 0,
    success_rate FLOAT GENERATED ALWAYS AS (
        CASE WHEN (success_count + failure_count) > 0
        THEN success_count::FLOAT / (success_count + failure_count)
        ELSE NULL END
    ) STORED,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    last_validated TIMESTAMPTZ,
    last_applied TIMESTAMPTZ,
    embedding real[],                       -- vector(1024) with pgvector, see the end
    created_by VARCHAR(50) DEFAULT 'system',
    is_active BOOLEAN DEFAULT true
);

-- Working memory: short-lived session context.
CREATE TABLE agent_working_memory (
    session_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id VARCHAR(50) NOT NULL,
    user_id VARCHAR(100),
    current_goal TEXT,
    active_context JSONB,
    thought_history JSONB[] DEFAULT '{}',
    created_at TIMESTAMPTZ DEFAULT NOW(),
    last_updated TIMESTAMPTZ DEFAULT NOW(),
    expires_at TIMESTAMPTZ DEFAULT NOW() + INTERVAL '1 hour',
    is_active BOOLEAN DEFAULT true,
    related_episodes UUID[] DEFAULT '{}'
);

-- One row per memory operation (store, search, backfill) with its latency and counts.
CREATE TABLE agent_memory_metrics (
    metric_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    timestamp TIMESTAMPTZ DEFAULT NOW(),
    operation_type VARCHAR(50),
    latency_ms INTEGER,
    results_count INTEGER,
    recall_accuracy FLOAT,
    precision FLOAT,
    memory_usage_mb FLOAT,
    cpu_percent FLOAT,
    project_id VARCHAR(50),
    episode_count INTEGER,
    strategy_count INTEGER
);

-- Each application of a strategy to an episode, and how it turned out.
CREATE TABLE strategy_performance_log (
    log_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    strategy_id UUID NOT NULL REFERENCES agent_knowledge(knowledge_id) ON DELETE CASCADE,
    episode_id UUID NOT NULL REFERENCES agent_episodes(episode_id) ON DELETE CASCADE,
    project_id VARCHAR(255) NOT NULL,
    application_timestamp TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    predicted_outcome JSONB,
    actual_outcome JSONB,
    outcome_quality FLOAT CHECK (outcome_quality >= 0.0 AND outcome_quality <= 1.0),
    strategy_confidence FLOAT NOT NULL CHECK (strategy_confidence >= 0.0 AND strategy_confidence <= 1.0),
    context_similarity FLOAT CHECK (context_similarity >= 0.0 AND context_similarity <= 1.0),
    performance_delta FLOAT,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);

-- Lookups of the memory API (not in §4.2; the original had equivalents, workflows.md §4.6).
CREATE INDEX agent_episodes_project_time_idx ON agent_episodes (project_id, timestamp DESC);
CREATE INDEX agent_episodes_sprint_idx ON agent_episodes (sprint_id) WHERE sprint_id IS NOT NULL;
CREATE INDEX agent_episodes_backfill_idx ON agent_episodes (timestamp) WHERE requires_embedding;
CREATE INDEX agent_knowledge_type_conf_idx ON agent_knowledge (knowledge_type, confidence DESC)
    WHERE is_active;
CREATE INDEX agent_working_memory_project_idx ON agent_working_memory (project_id, last_updated DESC)
    WHERE is_active;
CREATE INDEX agent_memory_metrics_op_time_idx ON agent_memory_metrics (operation_type, timestamp DESC);
CREATE INDEX strategy_performance_log_strategy_idx
    ON strategy_performance_log (strategy_id, application_timestamp DESC);
CREATE INDEX strategy_performance_log_episode_idx ON strategy_performance_log (episode_id);

-- The embedding columns: vector(1024) + HNSW cosine index with pgvector, else the dimension
-- CHECK on real[]. Both tables are empty here, so the type change rewrites nothing.
DO $mig$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
        EXECUTE 'ALTER TABLE agent_episodes ALTER COLUMN embedding TYPE vector(1024) '
                'USING embedding::vector(1024)';
        EXECUTE 'ALTER TABLE agent_knowledge ALTER COLUMN embedding TYPE vector(1024) '
                'USING embedding::vector(1024)';
        EXECUTE 'CREATE INDEX agent_episodes_embedding_hnsw_idx ON agent_episodes '
                'USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)';
    ELSE
        ALTER TABLE agent_episodes ADD CONSTRAINT agent_episodes_embedding_dim
            CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) = 1024));
        ALTER TABLE agent_knowledge ADD CONSTRAINT agent_knowledge_embedding_dim
            CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) = 1024));
    END IF;
END
$mig$;
