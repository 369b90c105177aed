-- pg_trgm declares its word-similarity operators (`<%`, `%>`) with the default cost of 1, so the
-- planner thinks evaluating them on every row is nearly free and scans "Listing" sequentially for
-- marketplace searches (0.3–1.2 s at 10,000 listings) instead of using the trigram GIN index
-- (50 ms). A realistic cost makes it choose the index. Changing an extension's function needs its
-- owner; where migrations run as another role, searches stay correct, only slower.
DO $$
BEGIN
  ALTER FUNCTION word_similarity_op(text, text) COST 200;
  ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pg_trgm word-similarity costs left as they are (not the owner): marketplace search may scan sequentially';
END
$$;
