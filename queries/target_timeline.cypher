// name: target_timeline
// description: What happened about a target (sector, programme, policy): the events aimed at it and the
//   goals set about it with their deadlines; a goal is dated by the earliest event or article setting it.
//   The first `limit` entries in date order (a busy target has thousands).
// params: name (str, required), limit (int, optional, default 100)
// columns: date, kind, type, text, deadline, metric, value, id
// order: date, kind, id
//
// A busy target's whole timeline is more rows than a query should ship (the index work is small; moving and
// decoding ~1,400 rows is what took the time), hence the LIMIT; a larger `limit` asks for more. Each branch
// keeps its first `limit` entries by (date, id) before the merge, and the other columns are read only for
// the rows returned.
CALL () {
  MATCH (t:Target)
  WHERE t._names CONTAINS $name_key AND (t.name = $name OR $name IN t.aliases)
  MATCH (e:Event)-[:TARGETS]->(t)
  WITH DISTINCT e
  WITH e, e.date AS date, e.id AS id
  ORDER BY date, id
  LIMIT $limit
  RETURN e AS x, date, 'event' AS kind, id
  UNION
  MATCH (t:Target)
  WHERE t._names CONTAINS $name_key AND (t.name = $name OR $name IN t.aliases)
  MATCH (g:Goal)-[:ABOUT]->(t)
  WITH DISTINCT g
  OPTIONAL MATCH (s)-[:SETS_GOAL]->(g)
  WITH g, min(s.date) AS date
  WITH g, date, g.id AS id
  ORDER BY date, id
  LIMIT $limit
  RETURN g AS x, date, 'goal' AS kind, id
}
WITH x, date, kind, id
ORDER BY date, kind, id
LIMIT $limit
RETURN date, kind,
       CASE kind WHEN 'event' THEN x.type END AS type,
       CASE kind WHEN 'event' THEN x.label ELSE x.text END AS text,
       CASE kind WHEN 'goal' THEN x.deadline END AS deadline,
       CASE kind WHEN 'goal' THEN x.metric END AS metric,
       CASE kind WHEN 'goal' THEN x.value END AS value,
       id
