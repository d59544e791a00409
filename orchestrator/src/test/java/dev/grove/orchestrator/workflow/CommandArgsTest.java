package dev.grove.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.orchestrator.Fixtures;
import dev.grove.orchestrator.config.CustomCommandConfig;
import dev.grove.orchestrator.error.GroveException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A custom command's words become ${args.*} and ${opts.*} as Garden 0.13.24 makes them. */
class CommandArgsTest {
  private static final CustomCommandConfig GREET =
      Fixtures.load("garden-compat/workflows-basic").commands().commands().get("greet");

  private static CustomCommandConfig undeclared() {
    return new CustomCommandConfig(
        "raw", "raw", null, List.of(), List.of(), null, List.of("build"), null, GREET.document());
  }

  @Test
  void allRestAndDashDashAreWhatGardenPrintedForTheSameWords() {
    // garden raw world x y --zz 3 -- q printed: all=world,x,y,--zz,3,--,q rest=world,x,y,--zz,3,q
    // dd=q
    CommandArgs parsed =
        CommandArgs.parse(undeclared(), List.of("world", "x", "y", "--zz", "3", "--", "q"));

    assertThat(parsed.args().get("$all"))
        .isEqualTo(List.of("world", "x", "y", "--zz", "3", "--", "q"));
    assertThat(parsed.args().get("$rest")).isEqualTo(List.of("world", "x", "y", "--zz", "3", "q"));
    assertThat(parsed.args().get("--")).isEqualTo(List.of("q"));
  }

  @Test
  void declaredArgumentsTakeTheFirstWordsAndDeclaredOptionsTheirFlags() {
    // garden hello world --loud printed: all=world,--loud rest= who=world loud=true
    CommandArgs parsed = CommandArgs.parse(GREET, List.of("world", "--loud", "extra"));

    assertThat(parsed.args()).containsEntry("who", "world");
    assertThat(parsed.args().get("$all")).isEqualTo(List.of("world", "--loud", "extra"));
    assertThat(parsed.args().get("$rest")).isEqualTo(List.of("extra"));
    assertThat(parsed.opts()).containsEntry("loud", true);
    assertThat(CommandArgs.parse(GREET, List.of("world")).opts()).containsEntry("loud", false);
  }

  @Test
  void aMissingOptionalArgumentIsAbsentSoReferencingItFailsAsInGarden() {
    assertThat(CommandArgs.parse(GREET, List.of()).args()).doesNotContainKey("who");
  }

  @Test
  void aBadBooleanIsAUsageErrorWithTheCommandsUsage() {
    assertThatThrownBy(() -> CommandArgs.parse(GREET, List.of("world", "--loud=maybe")))
        .isInstanceOf(GroveException.class)
        .hasMessage("Command greet: --loud must be true or false, not `maybe`.")
        .satisfies(
            e ->
                assertThat(((GroveException) e).error().suggestion())
                    .startsWith("Usage: grove greet [who] [--loud]"));
  }
}
