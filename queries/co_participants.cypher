// name: co_participants
// description: People who shared events with a person, with how many events, the first and the last.
// params: name (str, required), from (date, optional), to (date_end, optional)
// columns: name, events, first_date, last_date, person_id
// order: events desc, name, person_id
MATCH (p:Person)
WHERE p._names CONTAINS $name_key AND (p.name = $name OR $name IN p.aliases)
MATCH (p)-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(q:Person)
WHERE q <> p
  AND ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
WITH q, count(DISTINCT e) AS events, min(e.date) AS first_date, max(e.date) AS last_date
RETURN q.name AS name, events, first_date, last_date, q.id AS person_id
ORDER BY events DESC, name, person_id
