-- `tags_name_version (name, version_id)` answers every lookup by tag name that `tags_name (name)`
-- answered; the narrower index only cost every tag written one more index entry.
DROP INDEX IF EXISTS tags_name;
