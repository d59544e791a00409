package dev.grove.actions.deploy.kubernetes;

import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads manifest files as {@code kubectl} does: YAML 1.1 syntax, and plain scalars typed by the
 * rules of the go-yaml v2 library that {@code sigs.k8s.io/yaml} wraps. So {@code yes}, {@code on}
 * and {@code y} are booleans, {@code 0755} is octal, but {@code 12:30} (base 60 in YAML 1.1) and
 * {@code 2024-01-31} (a timestamp) stay strings, as they do in the JSON that kubectl sends. A key
 * written twice in one map is an error, as it is in Garden.
 */
final class ManifestYaml {

  /**
   * One non-empty document of a file.
   *
   * @param index its place in the file, from 0, counting empty documents
   * @param line where it starts, from 1
   * @param value a map, a list or a scalar
   */
  record Document(int index, int line, Object value) {}

  private static final Set<String> TRUE =
      Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
  private static final Set<String> FALSE =
      Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
  private static final Set<String> NULL = Set.of("", "~", "null", "Null", "NULL");
  private static final Set<String> NAN = Set.of(".nan", ".NaN", ".NAN");
  private static final Set<String> INFINITY =
      Set.of(".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
  private static final Set<String> NEGATIVE_INFINITY = Set.of("-.inf", "-.Inf", "-.INF");

  /** go-yaml v2's float syntax (an exponent needs its sign). */
  private static final Pattern FLOAT = Pattern.compile("^[-+]?[0-9]*\\.?[0-9]+([eE][-+][0-9]+)?$");

  private static final Pattern DOT_FLOAT = Pattern.compile("^\\.[0-9]+([eE][-+]?[0-9]+)?$");

  /** Deeper than any real manifest; stops a recursive alias from overflowing the stack. */
  private static final int MAX_DEPTH = 500;

  private ManifestYaml() {}

  /**
   * The non-empty documents of a file.
   *
   * @param where names the file in errors ({@code deploy.backend: backend/deployment.yml})
   * @throws ActionException {@code INVALID_SPEC} on a syntax error or a key written twice
   */
  static List<Document> parse(String text, String where) throws ActionException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported below, with both lines
    options.setCodePointLimit(64 * 1024 * 1024);
    options.setNestingDepthLimit(MAX_DEPTH);
    DumperOptions unused = new DumperOptions();
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options),
            new Representer(unused),
            unused,
            options,
            new KubernetesResolver());
    List<Document> documents = new ArrayList<>();
    try (Reader reader = new StringReader(text)) {
      int index = 0;
      for (Node node : yaml.composeAll(reader)) {
        int current = index++;
        if (node == null || node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
          continue;
        }
        Object value = new Converter(where).convert(node, 0);
        documents.add(new Document(current, node.getStartMark().getLine() + 1, value));
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          where
              + " is not valid YAML"
              + (mark == null
                  ? ""
                  : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
              + ": "
              + (e.getProblem() == null ? "syntax error" : e.getProblem())
              + (e.getContext() == null ? "" : " (" + e.getContext() + ")")
              + ".",
          "Fix the YAML at that line (indentation, a missing ':' or an unclosed quote are the"
              + " usual causes); kubectl would refuse it too.");
    } catch (YAMLException | IOException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          where + " is not valid YAML: " + e.getMessage(),
          "Fix the YAML of the file; kubectl would refuse it too.");
    }
    return documents;
  }

  /**
   * The value of a plain (unquoted, untagged) scalar, as go-yaml v2 decodes it into an {@code
   * interface{}}: Boolean, null, Long (BigInteger past 64 bits), Double, or the text itself.
   */
  static Object plain(String text) {
    if (TRUE.contains(text)) {
      return Boolean.TRUE;
    }
    if (FALSE.contains(text)) {
      return Boolean.FALSE;
    }
    if (NULL.contains(text)) {
      return null;
    }
    if (NAN.contains(text)) {
      return Double.NaN;
    }
    if (INFINITY.contains(text)) {
      return Double.POSITIVE_INFINITY;
    }
    if (NEGATIVE_INFINITY.contains(text)) {
      return Double.NEGATIVE_INFINITY;
    }
    char first = text.charAt(0);
    if (first == '.') {
      return DOT_FLOAT.matcher(text).matches() ? (Object) Double.parseDouble(text) : text;
    }
    if (first != '+' && first != '-' && (first < '0' || first > '9')) {
      return text;
    }
    String digits = text.replace("_", "");
    Number integer = integer(digits);
    if (integer != null) {
      return integer;
    }
    if (FLOAT.matcher(digits).matches()) {
      return Double.parseDouble(digits);
    }
    return text;
  }

  /**
   * Go's {@code strconv.ParseInt(s, 0, 64)}, then {@code ParseUint}: a sign, then {@code 0x},
   * {@code 0o}, {@code 0b} or a leading {@code 0} (octal) choose the base. Null when it is not one.
   */
  private static Number integer(String text) {
    boolean negative = text.startsWith("-");
    boolean signed = negative || text.startsWith("+");
    String body = signed ? text.substring(1) : text;
    int radix = 10;
    String lower = body.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      radix = 16;
      body = body.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      body = body.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      body = body.substring(2);
    } else if (body.length() > 1 && body.startsWith("0")) {
      radix = 8;
      body = body.substring(1);
    }
    if (body.isEmpty() || body.startsWith("+") || body.startsWith("-")) {
      return null;
    }
    BigInteger value;
    try {
      value = new BigInteger(body, radix);
    } catch (NumberFormatException e) {
      return null;
    }
    if (negative) {
      value = value.negate();
    }
    if (value.bitLength() <= 63) {
      return value.longValueExact();
    }
    // ParseUint takes no sign.
    return !signed && value.bitLength() <= 64 ? value : null;
  }

  /** Types plain scalars by go-yaml v2's rules instead of SnakeYAML's YAML 1.1 ones. */
  private static final class KubernetesResolver extends Resolver {
    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
      if (kind != NodeId.scalar || !implicit) {
        return super.resolve(kind, value, implicit);
      }
      if (value.equals("<<")) {
        return Tag.MERGE;
      }
      Object typed = plain(value);
      if (typed == null) {
        return Tag.NULL;
      }
      if (typed instanceof Boolean) {
        return Tag.BOOL;
      }
      if (typed instanceof Double) {
        return Tag.FLOAT;
      }
      return typed instanceof Number ? Tag.INT : Tag.STR;
    }
  }

  /** Turns composed nodes into plain values. */
  private static final class Converter {
    private final String where;

    Converter(String where) {
      this.where = where;
    }

    Object convert(Node node, int depth) throws ActionException {
      if (depth > MAX_DEPTH) {
        throw error(node, "nests deeper than " + MAX_DEPTH + " levels (a recursive alias?)");
      }
      if (node instanceof MappingNode mapping) {
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Node> written = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
          Node keyNode = tuple.getKeyNode();
          if (keyNode.getTag().equals(Tag.MERGE)) {
            merge(map, tuple.getValueNode(), depth);
            continue;
          }
          if (!(keyNode instanceof ScalarNode scalar)) {
            throw error(keyNode, "has a key that is a map or a list");
          }
          String key = key(scalar);
          Node first = written.put(key, keyNode);
          if (first != null) {
            throw error(
                keyNode,
                "has the key \""
                    + key
                    + "\" twice in one map (first at line "
                    + (first.getStartMark().getLine() + 1)
                    + ")");
          }
          map.put(key, convert(tuple.getValueNode(), depth + 1));
        }
        return map;
      }
      if (node instanceof SequenceNode sequence) {
        List<Object> list = new ArrayList<>(sequence.getValue().size());
        for (Node item : sequence.getValue()) {
          list.add(convert(item, depth + 1));
        }
        return list;
      }
      return scalar((ScalarNode) node);
    }

    /** {@code <<: *base}: the merged keys fill in what the map does not write itself. */
    private void merge(Map<String, Object> map, Node source, int depth) throws ActionException {
      List<Node> sources =
          source instanceof SequenceNode sequence ? sequence.getValue() : List.of(source);
      for (Node each : sources) {
        if (!(convert(each, depth + 1) instanceof Map<?, ?> merged)) {
          throw error(each, "merges (<<) a value that is not a map");
        }
        merged.forEach((k, v) -> map.putIfAbsent((String) k, v));
      }
    }

    private static Object scalar(ScalarNode node) {
      Tag tag = node.getTag();
      String text = node.getValue();
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
        Object value = text.isEmpty() ? text : plain(text);
        if (tag.equals(Tag.FLOAT) && value instanceof Long l) {
          return l.doubleValue();
        }
        return value;
      }
      // Strings, and what JSON has no type for (timestamps, !!binary, custom tags): the text.
      return text;
    }

    /** JSON keys are strings: {@code true}, {@code 80} as sigs.k8s.io/yaml writes them. */
    private static String key(ScalarNode node) {
      Object value = scalar(node);
      return value == null ? "null" : String.valueOf(value);
    }

    private ActionException error(Node node, String what) {
      Mark mark = node.getStartMark();
      return new ActionException(
          ActionCodes.INVALID_SPEC,
          where
              + " at line "
              + (mark.getLine() + 1)
              + ", column "
              + (mark.getColumn() + 1)
              + " "
              + what
              + ".",
          "Fix the YAML at that line; kubectl and Garden would refuse it too.");
    }
  }
}
