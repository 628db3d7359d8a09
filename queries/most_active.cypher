// name: most_active
// description: The officials who took part in the most events in a period, with their counts.
// params: from (date, optional), to (date_end, optional), type (str, optional), limit (int, optional, default 10)
// columns: name, events, first_date, last_date, person_id
// order: events desc, name, person_id
//
// The events of the period come from index seeks on (Event: _span, start), as in events_by_type.cypher
// (`_span`: the bit length of the event's span in days; an event of class c that ends on or after $from
// starts on or after $from - (2^c - 1) days); events without a start (`_span` -1) from the `_span` index.
CALL () {
  UNWIND range(0, 22) AS c
  MATCH (e:Event)
  WHERE e._span = c
    AND e.start >= CASE WHEN $from IS NULL OR c = 22 THEN ''
                        ELSE toString(date($from) - duration({days: toInteger(2 ^ c) - 1})) END
    AND e.start <= coalesce($to, '9999-12-31')
  RETURN e
  UNION
  MATCH (e:Event)
  WHERE e._span = -1
  RETURN e
}
WITH e
WHERE ($type IS NULL OR e.type = $type)
  AND ($from IS NULL OR e.end >= $from)
  AND ($to IS NULL OR e.start <= $to)
MATCH (p:Person)-[:PARTICIPATED_IN]->(e)
WITH p, count(DISTINCT e) AS events, min(e.date) AS first_date, max(e.date) AS last_date
RETURN p.name AS name, events, first_date, last_date, p.id AS person_id
ORDER BY events DESC, name, person_id
LIMIT $limit
