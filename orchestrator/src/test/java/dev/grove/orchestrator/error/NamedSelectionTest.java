package dev.grove.orchestrator.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NamedSelectionTest {
  private static final List<String> DEPLOYS = List.of("api", "web", "worker");

  private static List<String> pick(List<String> candidates, String... names) {
    return NamedSelection.pick(
        candidates,
        Function.identity(),
        List.of(names),
        "deploy.",
        "Deploy action",
        "Deploy actions");
  }

  @Test
  void namesPickInTheirOrderAndNoNamesPickAll() {
    assertThat(pick(DEPLOYS, "web", "api")).containsExactly("web", "api");
    assertThat(pick(DEPLOYS)).isEqualTo(DEPLOYS);
  }

  @Test
  void theFullRefOfTheKindNamesTheActionToo() {
    // grove logs deploy.web, grove status deploy.backend: as `grove graph` prints them
    assertThat(pick(DEPLOYS, "deploy.web")).containsExactly("web");
  }

  @Test
  void anUnknownNameSaysWhatItMeantOrWhatThereIs() {
    assertThatThrownBy(() -> pick(DEPLOYS, "wbe"))
        .isInstanceOfSatisfying(
            GroveException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("There is no Deploy action named `wbe`.");
              assertThat(e.error().suggestion()).isEqualTo("Did you mean `web`?");
            });
    assertThatThrownBy(() -> pick(DEPLOYS, "zzzzzz"))
        .isInstanceOfSatisfying(
            GroveException.class,
            e ->
                assertThat(e.error().suggestion())
                    .isEqualTo("Its Deploy actions: api, web, worker."));
    assertThatThrownBy(() -> pick(List.of(), "api"))
        .isInstanceOfSatisfying(
            GroveException.class,
            e ->
                assertThat(e.error().suggestion()).isEqualTo("The project has no Deploy actions."));
  }
}
