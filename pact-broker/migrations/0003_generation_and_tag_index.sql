-- The database's generation: one row, bumped by every write transaction just before it commits.
--
-- A reader that sees the same generation before and after a computation knows that no write
-- committed in between, so what it computed may be cached under that generation. Every replica
-- reads it from the database, so a replica's cache is never fresher or staler than the data.
CREATE TABLE broker_generation (
    id BIGINT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO broker_generation (id, value) VALUES (1, 0);

-- The latest version with a tag, found from the end of the index instead of by a scan of
-- every version with that tag.
CREATE INDEX tags_name_version ON tags (name, version_id);
