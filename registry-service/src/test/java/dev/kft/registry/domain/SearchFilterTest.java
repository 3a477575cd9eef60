package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SearchFilterTest {

  private static boolean matches(String filter, String name, Map<String, String> tags) {
    return SearchFilter.parse(filter).test(a -> a.equals("name") ? name : null, tags);
  }

  @Test
  void mlflowsOperatorsAndWildcards() {
    Map<String, String> tags = Map.of("team", "nlp", "data.set", "reviews");
    assertTrue(matches("name = 'sentiment'", "sentiment", tags));
    assertFalse(matches("name = 'sentiment'", "Sentiment", tags));
    assertTrue(matches("name ILIKE 'SENT%'", "sentiment", tags));
    assertFalse(matches("name LIKE 'SENT%'", "sentiment", tags));
    assertTrue(matches("name LIKE 'senti_ent'", "sentiment", tags));
    assertFalse(matches("name LIKE 'senti_ent'", "sentimment", tags));
    assertTrue(matches("name LIKE 'a.b%'", "a.bc", tags));
    assertFalse(matches("name LIKE 'a.b%'", "axbc", tags), "a dot is a dot, not any character");
    assertTrue(matches("tags.`data.set` = \"reviews\" and tags.team != 'cv'", "x", tags));
    assertFalse(matches("tags.owner = 'me'", "x", tags), "an absent tag never matches");
    assertFalse(matches("run_id = 'j1'", "x", tags), "an absent attribute never matches");
    assertTrue(matches("", "x", tags));
  }

  @Test
  void andInsideAQuotedValueIsPartOfIt() {
    assertTrue(
        matches("name = 'black and white' AND tags.a = 'b'", "black and white", Map.of("a", "b")));
  }

  @Test
  void anUnknownAttributeOrOperatorIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SearchFilter.parse("name = 'a' AND stage > 1"));
    assertEquals(
        "filter: cannot read 'stage > 1'; expected name, run_id or tags.<key>, then =, !=, LIKE or"
            + " ILIKE, then a quoted string",
        e.getMessage());
  }
}
