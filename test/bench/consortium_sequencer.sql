-- The sequencer's side of scripts/bench_consortium.sh: when each member's
-- cosignature arrives (a trigger on brop.cosignature, ALWAYS: the rows come
-- from the apply worker of the subscription to the member), and samples of
-- each member's lag taken by a procedure while a load runs.
CREATE SCHEMA bench_c;
CREATE SEQUENCE bench_c.nonce;

CREATE TABLE bench_c.cosig_arrival (tree_size bigint, witness text, at timestamptz, PRIMARY KEY (tree_size, witness));
CREATE FUNCTION bench_c.cosig_arrived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bench_c.cosig_arrival VALUES (NEW.tree_size, NEW.witness, clock_timestamp()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER bench_arrival AFTER INSERT ON brop.cosignature FOR EACH ROW EXECUTE FUNCTION bench_c.cosig_arrived();
ALTER TABLE brop.cosignature ENABLE ALWAYS TRIGGER bench_arrival;

-- the commit time of the oldest entry that the witness has not cosigned yet
-- (the first position after its cosigned size, or the first pending entry)
CREATE FUNCTION bench_c.oldest_uncosigned(cosigned bigint) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT pg_xact_commit_timestamp(e.xmin) FROM brop.log_leaf l JOIN brop.entry e ON e.id = l.entry
      WHERE l.position = cosigned),
    (SELECT pg_xact_commit_timestamp(e.xmin) FROM brop.entry e WHERE e.id = (SELECT min(entry) FROM brop.pending)))
$$;

-- lag samples: entries committed on the sequencer, and those each witness's
-- cosignatures (here, on the sequencer) cover
CREATE TABLE bench_c.lag (label text, at timestamptz, witness text, committed bigint, cosigned bigint, oldest timestamptz);
CREATE PROCEDURE bench_c.sample(label text, secs numeric, every numeric) LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  t timestamptz;
BEGIN
  WHILE clock_timestamp() < t0 + secs * interval '1 s' LOOP
    -- one time for the sample's rows, taken before the statement's snapshot
    t := clock_timestamp();
    INSERT INTO bench_c.lag
      SELECT label, t, w.witness, c.n, w.size,
             CASE WHEN w.size < c.n THEN bench_c.oldest_uncosigned(w.size) END
        FROM (SELECT coalesce((SELECT max(tree_size) FROM brop.block), 0)
                     + (SELECT count(*) FROM brop.pending) AS n) c,
             (SELECT witness, max(tree_size) AS size FROM brop.cosignature GROUP BY witness) w;
    COMMIT;
    PERFORM pg_sleep(every);
  END LOOP;
END $$;

-- the members' times of each block (bench_c.block_arrival and
-- bench_c.cosigned of consortium_member.sql), copied here after a run
CREATE TABLE bench_c.member_times (member text, tree_size bigint, arrived timestamptz, cosigned timestamptz);
