package dev.grove.orchestrator.error;

import dev.grove.api.error.ErrorCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Picks the actions a command names from those it can act on, as {@code grove deploy api web} or
 * {@code grove logs web} do: by name, or by the full ref ({@code deploy.web} for a Deploy); an
 * unknown name is {@code UNKNOWN_ACTION} with a did-you-mean, or the names there are.
 */
public final class NamedSelection {
  private NamedSelection() {}

  /**
   * The candidates {@code names} name, in their order; all candidates when {@code names} is empty.
   *
   * @param kindPrefix the ref prefix a name may carry ({@code "deploy."}), or null
   * @param singular what a candidate is, for messages ({@code "Deploy action"})
   * @param plural what the candidates are ({@code "Deploy actions"})
   */
  public static <T> List<T> pick(
      List<T> candidates,
      Function<T, String> name,
      List<String> names,
      String kindPrefix,
      String singular,
      String plural) {
    if (names.isEmpty()) {
      return candidates;
    }
    List<String> known = candidates.stream().map(name).toList();
    List<T> chosen = new ArrayList<>();
    for (String given : names) {
      String wanted =
          kindPrefix != null
                  && given.toLowerCase(Locale.ROOT).startsWith(kindPrefix)
                  && given.length() > kindPrefix.length()
              ? given.substring(kindPrefix.length())
              : given;
      int at = known.indexOf(wanted);
      if (at < 0) {
        throw new GroveException(
            ErrorCodes.UNKNOWN_ACTION,
            "There is no " + singular + " named `" + given + "`.",
            Suggestions.closest(wanted, known)
                .map(match -> "Did you mean `" + match + "`?")
                .orElse(
                    known.isEmpty()
                        ? "The project has no " + plural + "."
                        : "Its " + plural + ": " + String.join(", ", known) + "."));
      }
      chosen.add(candidates.get(at));
    }
    return chosen;
  }
}
