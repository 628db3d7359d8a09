// name: post_holders
// description: Who held a post over time (first and last attested dates), found by a substring of the
//   post's name, or by its organization (name or alias) and optionally its rank.
// params: post (str, optional), organization (str, optional), rank (str, optional)
// one_of: post, organization
// columns: post, organization, rank, name, first_seen, last_seen, person_id, post_id
// order: post, first_seen, name, person_id, post_id
//
// The posts come from the organization's `_names` text index and its POST_IN edges, or, without an
// organization, from the text index on Post.name (one branch each: `$organization IS NULL OR EXISTS {...}`
// would make the planner scan every Post); the post-name and rank filters follow.
CALL () {
  MATCH (o:Organization)
  WHERE o._names CONTAINS $organization_key AND (o.name = $organization OR $organization IN o.aliases)
  MATCH (s:Post)-[:POST_IN]->(o)
  RETURN s
  UNION
  MATCH (s:Post)
  WHERE $organization IS NULL AND s.name CONTAINS $post
  RETURN s
}
WITH s
WHERE ($post IS NULL OR s.name CONTAINS $post)
  AND ($rank IS NULL OR s.title = $rank)
MATCH (p:Person)-[h:HELD]->(s)
RETURN s.name AS post, s.organization AS organization, s.title AS rank, p.name AS name,
       h.first_seen AS first_seen, h.last_seen AS last_seen, p.id AS person_id, s.id AS post_id
ORDER BY post, first_seen, name, person_id, post_id
