// name: target_timeline
// description: What happened about a target (sector, programme, policy): the events aimed at it and the
//   goals set about it with their deadlines; a goal is dated by the earliest event or article setting it.
// params: name (str, required)
// columns: date, kind, type, text, deadline, metric, value, id
// order: date, kind, id
CALL () {
  MATCH (t:Target)
  WHERE t._names CONTAINS $name_key AND (t.name = $name OR $name IN t.aliases)
  MATCH (e:Event)-[:TARGETS]->(t)
  RETURN DISTINCT e.date AS date, 'event' AS kind, e.type AS type, e.label AS text,
         null AS deadline, null AS metric, null AS value, e.id AS id
  UNION
  MATCH (t:Target)
  WHERE t._names CONTAINS $name_key AND (t.name = $name OR $name IN t.aliases)
  MATCH (g:Goal)-[:ABOUT]->(t)
  OPTIONAL MATCH (s)-[:SETS_GOAL]->(g)
  WITH g, min(s.date) AS date
  RETURN date, 'goal' AS kind, null AS type, g.text AS text,
         g.deadline AS deadline, g.metric AS metric, g.value AS value, g.id AS id
}
RETURN date, kind, type, text, deadline, metric, value, id
ORDER BY date, kind, id
