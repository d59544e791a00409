package dev.grove.orchestrator.config;

import dev.grove.api.error.Problem;
import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML files into documents of plain values (maps, lists, strings, longs, doubles, booleans,
 * nulls) that remember where each value was written. Syntax errors and duplicate keys become
 * problems with file, line and column.
 */
public final class YamlLoader {

  /** The result of reading one file: its documents and the problems found. */
  public record Result(List<ConfigDocument> documents, List<Problem> problems) {}

  private YamlLoader() {}

  /**
   * Reads the file safely ({@link UserFiles}: regular files only, at most 10 MiB) and parses it.
   */
  public static Result load(Path file, String displayFile) {
    String text;
    try {
      text = UserFiles.readText(file, UserFiles.MAX_BYTES);
    } catch (UserFiles.UnreadableException e) {
      return new Result(List.of(), List.of(unreadable(e, displayFile)));
    }
    return parse(text, file, displayFile);
  }

  /** The problem of a config file that cannot be read, at the place an encoding error is. */
  static Problem unreadable(UserFiles.UnreadableException e, String displayFile) {
    return Problems.at(
        ConfigCodes.CONFIG_UNREADABLE,
        "Cannot read " + displayFile + ": " + e.getMessage(),
        e.suggestion(),
        displayFile,
        e.line(),
        e.column(),
        null);
  }

  public static Result parse(String text, Path file, String displayFile) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported by us, with both places
    options.setCodePointLimit(64 * 1024 * 1024);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    List<ConfigDocument> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try (Reader reader = new StringReader(text)) {
      int index = 0;
      for (Node node : yaml.composeAll(reader)) {
        int current = index++;
        if (node == null || isNull(node)) {
          continue;
        }
        Converter converter = new Converter(displayFile, problems, options);
        Object content = converter.convert(node, "");
        if (content instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked") // Converter builds maps with String keys only
          Map<String, Object> typed = (Map<String, Object>) map;
          documents.add(new ConfigDocument(file, displayFile, current, typed, converter.locations));
        } else {
          problems.add(
              Problems.at(
                  ConfigCodes.CONFIG_NOT_A_MAP,
                  "Document "
                      + (current + 1)
                      + " of "
                      + displayFile
                      + " is not a map of fields (it is "
                      + describe(content)
                      + ").",
                  "Each YAML document of a Garden config file is a map with `kind` and `name`.",
                  displayFile,
                  node.getStartMark().getLine() + 1,
                  node.getStartMark().getColumn() + 1,
                  null));
        }
      }
    } catch (MarkedYAMLException e) {
      // An unclosed quote or bracket is only noticed at the end of the file: point at where it
      // was opened instead.
      boolean atEnd = e.getProblem() != null && e.getProblem().contains("end of stream");
      Mark mark =
          atEnd && e.getContextMark() != null
              ? e.getContextMark()
              : e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(
          Problems.at(
              ConfigCodes.YAML_SYNTAX,
              "Invalid YAML in "
                  + displayFile
                  + ": "
                  + (e.getProblem() == null ? "syntax error" : e.getProblem())
                  + (e.getContext() == null ? "" : " (" + e.getContext() + ")"),
              "Fix the YAML syntax at that line (indentation, a missing ':' or an unclosed"
                  + " quote are the usual causes).",
              displayFile,
              mark == null ? 0 : mark.getLine() + 1,
              mark == null ? 0 : mark.getColumn() + 1,
              null));
    } catch (AliasExpansionException e) {
      problems.add(
          Problems.at(
              ConfigCodes.YAML_TOO_LARGE,
              "Invalid YAML in "
                  + displayFile
                  + ": its aliases expand to more than "
                  + MAX_ALIAS_EXPANSION
                  + " values (an alias bomb?)",
              "Use fewer nested aliases (&anchor / *alias), or write the values out.",
              displayFile,
              e.mark.getLine() + 1,
              e.mark.getColumn() + 1,
              null));
    } catch (YAMLException | IOException e) {
      String message = String.valueOf(e.getMessage());
      boolean tooDeep = message.startsWith("Nesting Depth exceeded");
      boolean tooManyAliases = message.startsWith("Number of aliases");
      Mark mark = tooDeep || tooManyAliases ? locateLimit(text, options, tooDeep) : null;
      problems.add(
          Problems.at(
              tooDeep || tooManyAliases ? ConfigCodes.YAML_TOO_LARGE : ConfigCodes.YAML_SYNTAX,
              "Invalid YAML in "
                  + displayFile
                  + ": "
                  + (tooDeep
                      ? "lists and maps nested more than "
                          + options.getNestingDepthLimit()
                          + " deep"
                      : tooManyAliases
                          ? "more than "
                              + options.getMaxAliasesForCollections()
                              + " aliases to lists or maps (an alias bomb?)"
                          : message),
              tooDeep
                  ? "Flatten the structure."
                  : tooManyAliases
                      ? "Use fewer aliases (*name), or write the values out."
                      : "Fix the YAML syntax of the file.",
              displayFile,
              mark == null ? 0 : mark.getLine() + 1,
              mark == null ? 0 : mark.getColumn() + 1,
              null));
    }
    return new Result(documents, problems);
  }

  /**
   * Where a limit of the composer (nesting depth, aliases) is crossed: its error carries no place,
   * so the events are walked again, counting as it does. Null when not found.
   */
  private static Mark locateLimit(String text, LoaderOptions options, boolean depthLimit) {
    int depth = 0;
    int aliases = 0;
    try {
      for (Event event : new Yaml(new SafeConstructor(options)).parse(new StringReader(text))) {
        if (event instanceof CollectionStartEvent) {
          if (++depth > options.getNestingDepthLimit() && depthLimit) {
            return event.getStartMark();
          }
        } else if (event instanceof CollectionEndEvent) {
          depth--;
        } else if (event instanceof AliasEvent
            && ++aliases > options.getMaxAliasesForCollections()
            && !depthLimit) {
          return event.getStartMark();
        }
      }
    } catch (YAMLException e) {
      return null;
    }
    return null;
  }

  /** Values an alias may expand to in one file, beyond which it is refused (billion laughs). */
  static final int MAX_ALIAS_EXPANSION = 100_000;

  /** Thrown when aliases expand past {@link #MAX_ALIAS_EXPANSION}, at the alias being expanded. */
  private static final class AliasExpansionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Mark mark;

    AliasExpansionException(Mark mark) {
      super(null, null, false, false);
      this.mark = mark;
    }
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  private static String describe(Object value) {
    if (value instanceof List<?>) {
      return "a list";
    }
    return value == null ? "empty" : "a single value";
  }

  /** Turns one composed document into plain values and its source map. */
  private static final class Converter extends SafeConstructor {
    final SourceMap locations = new SourceMap();
    private final String displayFile;
    private final List<Problem> problems;

    /** Nodes converted once; a node met again is reached through an alias. */
    private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Above 0 while converting what an alias names: those values count against the budget. */
    private int inAlias;

    private long expanded;

    Converter(String displayFile, List<Problem> problems, LoaderOptions options) {
      super(options);
      this.displayFile = displayFile;
      this.problems = problems;
    }

    Object convert(Node node, String path) {
      boolean again = !seen.add(node);
      if (again) {
        inAlias++;
      }
      try {
        if (inAlias > 0 && ++expanded > MAX_ALIAS_EXPANSION) {
          throw new AliasExpansionException(node.getStartMark());
        }
        return convertOnce(node, path);
      } finally {
        if (again) {
          inAlias--;
        }
      }
    }

    private Object convertOnce(Node node, String path) {
      Mark start = node.getStartMark();
      locations.put(path, start.getLine() + 1, start.getColumn() + 1);
      if (node instanceof MappingNode mapping) {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Node> keyNodes = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
          Node keyNode = tuple.getKeyNode();
          if (keyNode.getTag().equals(Tag.MERGE)) {
            mergeInto(map, tuple.getValueNode(), path);
            continue;
          }
          Object rawKey = keyNode instanceof ScalarNode scalar ? scalar.getValue() : null;
          if (rawKey == null) {
            problems.add(
                Problems.at(
                    ConfigCodes.YAML_KEY,
                    "A key in " + displayFile + " is not a plain string.",
                    "Use plain string keys.",
                    displayFile,
                    keyNode.getStartMark().getLine() + 1,
                    keyNode.getStartMark().getColumn() + 1,
                    path));
            continue;
          }
          String key = rawKey.toString();
          String childPath = SourceMap.child(path, key);
          if (keyNodes.containsKey(key)) {
            Mark first = keyNodes.get(key).getStartMark();
            problems.add(
                Problems.at(
                    ConfigCodes.YAML_DUPLICATE_KEY,
                    "Duplicate key `"
                        + childPath
                        + "` (first written at line "
                        + (first.getLine() + 1)
                        + ").",
                    "Remove one of the two; YAML keeps only one value per key.",
                    displayFile,
                    keyNode.getStartMark().getLine() + 1,
                    keyNode.getStartMark().getColumn() + 1,
                    childPath));
          }
          keyNodes.put(key, keyNode);
          Mark keyMark = keyNode.getStartMark();
          locations.put(childPath, keyMark.getLine() + 1, keyMark.getColumn() + 1);
          map.put(key, convert(tuple.getValueNode(), childPath));
        }
        return map;
      }
      if (node instanceof SequenceNode sequence) {
        List<Object> list = new ArrayList<>(sequence.getValue().size());
        int index = 0;
        for (Node item : sequence.getValue()) {
          list.add(convert(item, SourceMap.child(path, index++)));
        }
        return list;
      }
      return scalar((ScalarNode) node);
    }

    private void mergeInto(Map<String, Object> map, Node source, String path) {
      List<Node> sources =
          source instanceof SequenceNode sequence ? sequence.getValue() : List.of(source);
      for (Node each : sources) {
        if (convert(each, path) instanceof Map<?, ?> merged) {
          merged.forEach((k, v) -> map.putIfAbsent(k.toString(), v));
        }
      }
    }

    private Object scalar(ScalarNode node) {
      Tag tag = node.getTag();
      if (tag.equals(Tag.STR)) {
        return node.getValue();
      }
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
        Object value = constructObject(node);
        if (value instanceof Number number && !(value instanceof Double)) {
          return tag.equals(Tag.FLOAT) ? number.doubleValue() : longOrText(number, node);
        }
        return value;
      }
      return node.getValue();
    }

    private static Object longOrText(Number number, ScalarNode node) {
      if (number instanceof java.math.BigInteger big && big.bitLength() > 63) {
        return node.getValue();
      }
      return number.longValue();
    }
  }
}
