// name: provenance
// description: Where a fact comes from: for a node or edge id, or for a person's part in an event, each
//   evidence span with its article (id, title, date) and the sentence around the span.
// params: id (str, optional), person (str, optional), event_id (str, optional)
// one_of: id, person+event_id
// columns: fact_id, fact_kind, article_id, title, date, start, end, sentence
// order: article_id, start, end, fact_id
//
// The Neo4j store keeps the view of a fact with several contributions in `_view` and the one contribution of
// any other fact in `_contrib`, both JSON written by graph.store.neo4j_store.dumps (compact, keys
// sorted). Cypher has no JSON parser, so the spans are cut out of the text: from `_view`, the rows between
// `"evidence":[[` and `]]` ({"...","evidence":[["<article id>",start,end],...],...}); from a contribution
// ({"a":"<article id>","e":[[start,end,"<extractor>",conf],...],"p":{...}}), the article id is the 4th
// piece between double quotes and the rows lie between `"e":[[` and `]],"p":`. Rows split on `],[`, cells
// on `,`. (A JSON string cannot hold those markers unescaped, so they are found only where they belong.)
// An edge is found by id through the per-type unique indexes, hence every edge kind in the pattern.
// The sentence runs from just after the last stop (。！？!? or a line break) before the span to the first
// stop at or after the span's last character, trimmed; queries/twins_provenance.py cuts it the same way.
CALL () {
  MATCH (n:Node {id: $id})
  RETURN n.id AS fact_id, n.kind AS fact_kind, n._view AS v, n._contrib AS c
  UNION
  MATCH ()-[r:PARTICIPATED_IN|ORGANIZED|HELD|POST_IN|PART_OF|TARGETS|SETS_GOAL|ABOUT|OCCURRED_IN|REPORTED_IN|MENTIONED_IN|WROTE]->()
  WHERE r.id = $id
  RETURN r.id AS fact_id, type(r) AS fact_kind, r._view AS v, r._contrib AS c
  UNION
  MATCH (p:Person)-[r:PARTICIPATED_IN]->(e:Event {id: $event_id})
  WHERE p._names CONTAINS $person_key AND (p.name = $person OR $person IN p.aliases)
  RETURN r.id AS fact_id, type(r) AS fact_kind, r._view AS v, r._contrib AS c
}
UNWIND CASE WHEN v IS NULL
         THEN [row IN split(split(split(c, '"e":[[')[1], ']],"p":')[0], '],[') |
               [split(c, '"')[3]] + split(row, ',')[0..2]]
         ELSE [row IN split(split(split(v, '"evidence":[[')[1], ']]')[0], '],[') |
               [substring(split(row, ',')[0], 1, size(split(row, ',')[0]) - 2)] + split(row, ',')[1..3]]
       END AS cells
WITH DISTINCT fact_id, fact_kind, cells[0] AS article_id, toInteger(cells[1]) AS start, toInteger(cells[2]) AS end
OPTIONAL MATCH (a:Article {id: article_id})
WITH fact_id, fact_kind, article_id, a.title AS title, a.date AS date, start, end, a.text AS text
WITH fact_id, fact_kind, article_id, title, date, start, end, text,
     CASE WHEN text IS NULL OR start IS NULL OR end IS NULL THEN null
          ELSE coalesce(last([i IN range(0, start - 1)
                              WHERE substring(text, i, 1) IN ['。', '！', '？', '!', '?', '\n']]), -1) + 1
     END AS first,
     CASE WHEN text IS NULL OR start IS NULL OR end IS NULL THEN null
          ELSE coalesce(head([i IN range(CASE WHEN end - 1 > start THEN end - 1 ELSE start END, size(text) - 1)
                              WHERE substring(text, i, 1) IN ['。', '！', '？', '!', '?', '\n']]), size(text) - 1)
     END AS last
RETURN fact_id, fact_kind, article_id, title, date, start, end,
       CASE WHEN first IS NULL THEN null ELSE trim(substring(text, first, last - first + 1)) END AS sentence
ORDER BY article_id, start, end, fact_id
