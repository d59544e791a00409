package dev.grove.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.error.Problem;
import dev.grove.orchestrator.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroveSettingsTest {

  @Test
  void groveYmlBesideTheProjectSetsBuildModeAndConcurrencyWithoutAWarning() {
    LoadedProject project = Fixtures.load("grove-settings");

    assertThat(project.project().kubernetes().orElseThrow().buildMode()).isEqualTo("jib");
    assertThat(project.project().kubernetes().orElseThrow().context()).contains("grove-sandbox");
    assertThat(project.project().concurrency()).isEqualTo(Map.of("build", 2, "overall", 6));
    assertThat(project.warnings()).isEmpty();
  }

  @Test
  void groveSettingsInTheProjectFileStillCountWithAWarningNamingGroveYml() {
    LoadedProject project = Fixtures.load("grove-settings-deprecated");

    assertThat(project.project().kubernetes().orElseThrow().buildMode()).isEqualTo("jib");
    // grove.yml wins where both set a limit
    assertThat(project.project().concurrency()).isEqualTo(Map.of("build", 2, "deploy", 5));
    assertThat(project.warnings())
        .filteredOn(p -> p.code().equals(ConfigCodes.GROVE_SETTING_MOVED))
        .extracting(p -> p.location().path())
        .containsExactlyInAnyOrder("concurrency", "providers[0].buildMode");
    assertThat(project.warnings())
        .filteredOn(p -> p.code().equals(ConfigCodes.GROVE_SETTING_MOVED))
        .allSatisfy(
            p -> {
              assertThat(p.location().file()).isEqualTo("project.garden.yml");
              assertThat(p.suggestion()).contains("grove.yml");
            });
  }

  @Test
  void aBadGroveYmlIsAnErrorNamingTheFileLineAndField() {
    List<Problem> problems = Fixtures.problems("grove-settings-bad");

    assertThat(problems)
        .extracting(
            p -> p.location().file() + ":" + p.location().line() + " " + p.location().path())
        .containsExactlyInAnyOrder("grove.yml:1 buildMode", "grove.yml:2 concurency");
    assertThat(problems)
        .extracting(Problem::suggestion)
        .containsExactlyInAnyOrder("Did you mean `jib`?", "Did you mean `concurrency`?");
  }
}
