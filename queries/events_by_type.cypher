// name: events_by_type
// description: Events in a date range, of one type or of all, with how many people took part.
// params: type (str, optional), from (date, optional), to (date_end, optional)
// columns: date, end_date, type, label, location, people, event_id
// order: date, event_id
//
// An event overlaps [$from, $to] when `e.end >= $from AND e.start <= $to`. The events come from index
// seeks on (Event: _span, start), `_span` being the bit length of the event's span in days (end - start,
// written by the store): an event of class c that ends on or after $from starts on or after
// $from - (2^c - 1) days, which bounds the seek from below; the exact test follows. Events without a
// start have `_span` -1 and come from the `_span` index. (`$x IS NULL OR e.prop = $x` alone would make
// the planner scan every Event.)
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
RETURN e.date AS date, e.end_date AS end_date, e.type AS type, e.label AS label,
       e.location AS location,
       COUNT { MATCH (p:Person)-[:PARTICIPATED_IN]->(e) RETURN DISTINCT p } AS people,
       e.id AS event_id
ORDER BY date, event_id
