SELECT 'a;b', "c;d" FROM t; -- c;
/* x; /* nested; */ */ INSERT INTO t VALUES ($$;$$, E'\'', U&'d\0061t');
DO $f$ BEGIN PERFORM 1; END $f$;
\copy t to 'x.csv'
SELECT 1
