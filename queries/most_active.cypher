// name: most_active
// description: The officials who took part in the most events in a period, with their counts.
// params: from (date, optional), to (date_end, optional), type (str, optional), limit (int, optional, default 10)
// columns: name, events, first_date, last_date, person_id
// order: events desc, name, person_id
MATCH (p:Person)-[:PARTICIPATED_IN]->(e:Event)
WHERE ($type IS NULL OR e.type = $type)
  AND ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
WITH p, count(DISTINCT e) AS events, min(e.date) AS first_date, max(e.date) AS last_date
RETURN p.name AS name, events, first_date, last_date, p.id AS person_id
ORDER BY events DESC, name, person_id
LIMIT $limit
