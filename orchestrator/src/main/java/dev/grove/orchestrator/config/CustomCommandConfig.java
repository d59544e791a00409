package dev.grove.orchestrator.config;

import java.util.List;

/**
 * A {@code kind: Command} document (Garden's custom commands), checked against Garden's schema;
 * {@code exec}, {@code gardenCommand} and {@code variables} stay raw until the command runs with
 * its arguments.
 *
 * @param exec the raw {@code exec} map ({@code command}, {@code env}), or null
 * @param gardenCommand the raw {@code gardenCommand} list, or null
 * @param variables the raw {@code variables}, or null
 */
public record CustomCommandConfig(
    String name,
    String shortDescription,
    String longDescription,
    List<Parameter> args,
    List<Parameter> opts,
    Object exec,
    Object gardenCommand,
    Object variables,
    ConfigDocument document) {

  public CustomCommandConfig {
    args = List.copyOf(args);
    opts = List.copyOf(opts);
  }

  /**
   * A declared argument or option: {@code type} is {@code string}, {@code integer} or {@code
   * boolean}.
   */
  public record Parameter(String name, String description, String type, boolean required) {}
}
