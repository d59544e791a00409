package dev.grove.orchestrator.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/** Garden's helper functions, by name, with their usage for error messages. */
final class TemplateFunctions {
  private TemplateFunctions() {}

  @FunctionalInterface
  private interface Impl {
    Object apply(Args args);
  }

  private record Fn(String usage, int min, int max, Impl impl) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Map<String, Fn> FUNCTIONS = new LinkedHashMap<>();

  static {
    def("base64Decode(string)", 1, 1, a -> base64Decode(a.string(0)));
    def("base64Encode(string)", 1, 1, a -> base64Encode(a.string(0)));
    def("camelCase(string)", 1, 1, a -> camelCase(a.string(0)));
    def("concat(arg1, arg2)", 2, 2, TemplateFunctions::concat);
    def("formatDateUtc(date, format)", 2, 2, a -> formatDate(a.date(0), a.string(1)));
    def("indent(string, spaces)", 2, 2, a -> indent(a.string(0), (int) a.integer(1)));
    def("isEmpty(value)", 1, 1, TemplateFunctions::isEmpty);
    def("join(input, separator)", 2, 2, TemplateFunctions::join);
    def("jsonDecode(string)", 1, 1, a -> jsonDecode(a.string(0)));
    def("jsonEncode(value)", 1, 1, a -> jsonEncode(a.get(0)));
    def("kebabCase(string)", 1, 1, a -> String.join("-", words(a.string(0), true)));
    def("lower(string)", 1, 1, a -> a.string(0).toLowerCase(java.util.Locale.ROOT));
    def(
        "modifyDateUtc(date, amount, unit)",
        3,
        3,
        a -> modifyDate(a.date(0), a.integer(1), a.string(2)));
    def("range(start, end, [step])", 2, 3, TemplateFunctions::range);
    def(
        "replace(string, substring, replacement)",
        3,
        3,
        a -> replace(a.string(0), a.string(1), a.string(2)));
    def("sha256(string)", 1, 1, a -> sha256(a.string(0)));
    def(
        "shiftDateUtc(date, amount, unit)",
        3,
        3,
        a -> shiftDate(a.date(0), a.integer(1), a.string(2)));
    def("slice(input, start, [end])", 2, 3, TemplateFunctions::slice);
    def("split(string, separator)", 2, 2, a -> split(a.string(0), a.string(1)));
    def("string(value)", 1, 1, a -> jsString(a.get(0)));
    def(
        "trim(string, [characters])",
        1,
        2,
        a -> trim(a.string(0), a.size() > 1 ? a.string(1) : null));
    def("upper(string)", 1, 1, a -> a.string(0).toUpperCase(java.util.Locale.ROOT));
    def("uuidv4()", 0, 0, a -> UUID.randomUUID().toString());
    def(
        "yamlDecode(string, [multiDocument])",
        1,
        2,
        a -> yamlDecode(a.string(0), a.size() > 1 && a.bool(1)));
    def(
        "yamlEncode(value, [multiDocument])",
        1,
        2,
        a -> yamlEncode(a.get(0), a.size() > 1 && a.bool(1)));
  }

  private static void def(String usage, int min, int max, Impl impl) {
    FUNCTIONS.put(usage.substring(0, usage.indexOf('(')), new Fn(usage, min, max, impl));
  }

  static Object call(String name, List<Object> args) {
    Fn fn = FUNCTIONS.get(name);
    if (fn == null) {
      String near = Values.closest(name, FUNCTIONS.keySet());
      throw new EvalError(
          "Could not find helper function \"" + name + "\"",
          (near != null ? "Did you mean " + near + "? " : "")
              + "Available functions: "
              + String.join(", ", FUNCTIONS.keySet())
              + ".");
    }
    if (args.size() < fn.min() || args.size() > fn.max()) {
      throw new EvalError(
          "Function "
              + name
              + " takes "
              + (fn.min() == fn.max() ? fn.min() : fn.min() + " to " + fn.max())
              + " argument"
              + (fn.max() == 1 ? "" : "s")
              + ", got "
              + args.size(),
          "Call it as " + fn.usage() + ".");
    }
    try {
      return fn.impl().apply(new Args(name, fn.usage(), args));
    } catch (EvalError | DeferredSignal e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EvalError(
          "Function " + name + " failed: " + e.getMessage(), "Check the arguments: " + fn.usage());
    }
  }

  /** Typed access to arguments, with errors naming the function and its usage. */
  private record Args(String name, String usage, List<Object> values) {
    int size() {
      return values.size();
    }

    Object get(int i) {
      return values.get(i);
    }

    EvalError wrongType(int i, String expected) {
      return new EvalError(
          "Function "
              + name
              + " expects argument "
              + (i + 1)
              + " to be "
              + expected
              + ", got "
              + Values.describe(values.get(i)),
          "Call it as " + usage + ".");
    }

    String string(int i) {
      if (values.get(i) instanceof String s) {
        return s;
      }
      throw wrongType(i, "a string");
    }

    long integer(int i) {
      Object v = Values.normalize(values.get(i));
      if (v instanceof Long l) {
        return l;
      }
      if (v instanceof Double d && d == Math.rint(d)) {
        return d.longValue();
      }
      throw wrongType(i, "an integer");
    }

    boolean bool(int i) {
      if (values.get(i) instanceof Boolean b) {
        return b;
      }
      throw wrongType(i, "a boolean");
    }

    ZonedDateTime date(int i) {
      String text = string(i);
      try {
        return parseDate(text);
      } catch (DateTimeException e) {
        throw new EvalError(
            "Function " + name + " could not parse the date \"" + text + "\"",
            "Use an ISO 8601 date such as 2021-01-01T00:00:00Z. Call it as " + usage + ".");
      }
    }
  }

  private static ZonedDateTime parseDate(String text) {
    try {
      return Instant.parse(text).atZone(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      // try the other ISO forms
    }
    try {
      return OffsetDateTime.parse(text).atZoneSameInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      // try the other ISO forms
    }
    try {
      return LocalDateTime.parse(text).atZone(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      // try a plain date
    }
    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC);
  }

  private static String base64Decode(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      bytes = Base64.getUrlDecoder().decode(text);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Splits into words like lodash: on non-alphanumerics, case changes and digit runs. */
  static List<String> words(String text, boolean lower) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(word, out, lower);
        continue;
      }
      if (word.length() > 0) {
        char prev = word.charAt(word.length() - 1);
        boolean boundary =
            (Character.isLowerCase(prev) && Character.isUpperCase(c))
                || (Character.isDigit(prev) != Character.isDigit(c))
                || (Character.isUpperCase(prev)
                    && Character.isUpperCase(c)
                    && i + 1 < n
                    && Character.isLowerCase(text.charAt(i + 1)));
        if (boundary) {
          flush(word, out, lower);
        }
      }
      word.append(c);
    }
    flush(word, out, lower);
    return out;
  }

  private static void flush(StringBuilder word, List<String> out, boolean lower) {
    if (word.length() > 0) {
      out.add(lower ? word.toString().toLowerCase(java.util.Locale.ROOT) : word.toString());
      word.setLength(0);
    }
  }

  private static String camelCase(String text) {
    StringBuilder out = new StringBuilder();
    for (String w : words(text, true)) {
      if (out.length() == 0) {
        out.append(w);
      } else {
        out.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
      }
    }
    return out.toString();
  }

  private static Object concat(Args a) {
    Object x = a.get(0);
    Object y = a.get(1);
    if (x instanceof String s && y instanceof String t) {
      Limits.chars((long) s.length() + t.length(), "concat");
      return s + t;
    }
    if (x instanceof List<?> s && y instanceof List<?> t) {
      Limits.items((long) s.size() + t.size(), "concat");
      List<Object> out = new ArrayList<>(s);
      out.addAll(t);
      return out;
    }
    throw new EvalError(
        "Function concat needs both terms to be arrays or both strings, got "
            + Values.describe(x)
            + " and "
            + Values.describe(y),
        "Call it as concat(arg1, arg2) with two arrays or two strings.");
  }

  private static String formatDate(ZonedDateTime date, String format) {
    try {
      return DateTimeFormatter.ofPattern(format).format(date);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new EvalError(
          "Function formatDateUtc cannot use the format \"" + format + "\": " + e.getMessage(),
          "Use a format such as yyyy-MM-dd or yyyy-MM-dd HH:mm:ss.");
    }
  }

  private static String indent(String text, int spaces) {
    if (spaces < 0) {
      throw new EvalError(
          "Function indent expects a non-negative number of spaces, got " + spaces,
          "Call it as indent(string, spaces).");
    }
    long lines = text.chars().filter(c -> c == '\n').count() + 1;
    // Checked before the padding is made: blank lines get none, so this is an upper bound.
    Limits.chars(text.length() + lines * spaces, "indent");
    String pad = " ".repeat(spaces);
    StringBuilder out = new StringBuilder(text.length() + 16);
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      String line = end < 0 ? text.substring(start) : text.substring(start, end);
      if (!line.isBlank()) {
        out.append(pad);
      }
      out.append(line);
      if (end < 0) {
        break;
      }
      out.append('\n');
      start = end + 1;
    }
    return out.toString();
  }

  private static Object isEmpty(Args a) {
    Object v = a.get(0);
    if (v == null) {
      return true;
    }
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof List<?> l) {
      return l.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return m.isEmpty();
    }
    throw a.wrongType(0, "an object, array, string or null");
  }

  private static Object join(Args a) {
    if (!(a.get(0) instanceof List<?> list)) {
      throw a.wrongType(0, "an array");
    }
    String separator = a.string(1);
    Limits.Text out = new Limits.Text("join");
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!Values.isPrimitive(item)) {
        throw new EvalError(
            "Function join expects an array of strings, numbers or booleans, but item "
                + i
                + " is "
                + Values.describe(item),
            "Call it as join(input, separator) with a flat list.");
      }
      if (i > 0) {
        out.append(separator);
      }
      if (item != null) {
        out.append(Values.text(item));
      }
    }
    return out.toString();
  }

  private static Object jsonDecode(String text) {
    try {
      return Limits.decoded(JSON.readValue(text, Object.class), "jsonDecode");
    } catch (JsonProcessingException e) {
      throw new EvalError(
          "Function jsonDecode could not parse its input as JSON: " + e.getOriginalMessage(),
          "Pass a valid JSON string to jsonDecode(string).");
    }
  }

  private static String jsonEncode(Object value) {
    Limits.Writer out = new Limits.Writer("jsonEncode");
    try {
      JSON.writeValue(out, value);
      return out.toString();
    } catch (java.io.IOException e) {
      throw new EvalError(
          "Function jsonEncode could not encode the value: " + e.getMessage(),
          "Pass plain maps, lists and scalars to jsonEncode(value).");
    }
  }

  private static ChronoUnit unit(String unit, boolean allowWeeks, String function) {
    switch (unit) {
      case "years":
        return ChronoUnit.YEARS;
      case "months":
        return ChronoUnit.MONTHS;
      case "weeks":
        if (allowWeeks) {
          return ChronoUnit.WEEKS;
        }
        break;
      case "days":
        return ChronoUnit.DAYS;
      case "hours":
        return ChronoUnit.HOURS;
      case "minutes":
        return ChronoUnit.MINUTES;
      case "seconds":
        return ChronoUnit.SECONDS;
      case "milliseconds":
        return ChronoUnit.MILLIS;
      default:
        break;
    }
    throw new EvalError(
        "Function " + function + " does not know the time unit \"" + unit + "\"",
        "Use one of: years, months, "
            + (allowWeeks ? "weeks, " : "")
            + "days, hours, minutes, seconds, milliseconds.");
  }

  private static String shiftDate(ZonedDateTime date, long amount, String unit) {
    return ISO_MILLIS.format(date.plus(amount, unit(unit, true, "shiftDateUtc")));
  }

  private static String modifyDate(ZonedDateTime date, long amount, String unit) {
    ChronoUnit u = unit(unit, false, "modifyDateUtc");
    int v = (int) amount;
    try {
      ZonedDateTime out;
      switch (u) {
        case YEARS:
          out = date.withYear(v);
          break;
        case MONTHS:
          // JavaScript months count from 0 (January)
          out = date.withMonth(v + 1);
          break;
        case DAYS:
          out = date.withDayOfMonth(v);
          break;
        case HOURS:
          out = date.withHour(v);
          break;
        case MINUTES:
          out = date.withMinute(v);
          break;
        case SECONDS:
          out = date.withSecond(v);
          break;
        default:
          out = date.withNano(v * 1_000_000);
          break;
      }
      return ISO_MILLIS.format(out);
    } catch (DateTimeException e) {
      throw new EvalError(
          "Function modifyDateUtc cannot set " + unit + " to " + amount + ": " + e.getMessage(),
          "Use a value within the unit's range (months count from 0).");
    }
  }

  private static Object range(Args a) {
    long start = a.integer(0);
    long end = a.integer(1);
    long step = a.size() > 2 ? a.integer(2) : 1;
    if (step <= 0) {
      throw new EvalError(
          "Function range needs a positive step, got " + step,
          "Call it as range(start, end, [step]) with step >= 1.");
    }
    // Counted in both directions (range(1000000, 0) counts down), without overflow.
    long span;
    try {
      span = Math.abs(Math.subtractExact(end, start)) / step + 1;
    } catch (ArithmeticException e) {
      span = Long.MAX_VALUE;
    }
    Limits.items(span, "range");
    List<Object> out = new ArrayList<>();
    if (start <= end) {
      for (long i = start; i <= end; i += step) {
        out.add(i);
      }
    } else {
      for (long i = start; i >= end; i -= step) {
        out.add(i);
      }
    }
    return out;
  }

  private static String replace(String text, String target, String replacement) {
    if (target.isEmpty()) {
      return text;
    }
    long count = 0;
    for (int at = text.indexOf(target); at >= 0; at = text.indexOf(target, at + target.length())) {
      count++;
    }
    Limits.chars(
        text.length() + count * ((long) replacement.length() - target.length()), "replace");
    return text.replace(target, replacement);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Object slice(Args a) {
    Object input = a.get(0);
    int length;
    if (input instanceof String s) {
      length = s.length();
    } else if (input instanceof List<?> l) {
      length = l.size();
    } else {
      throw a.wrongType(0, "a string or an array");
    }
    int start = sliceIndex(a, 1, length);
    Object endArg = a.size() > 2 ? a.get(2) : null;
    // Garden treats a falsy end (0, "", null) as "to the end"
    int end = Values.truthy(endArg) ? sliceIndex(a, 2, length) : length;
    if (end < start) {
      end = start;
    }
    if (input instanceof String s) {
      return s.substring(start, end);
    }
    return new ArrayList<Object>(((List<?>) input).subList(start, end));
  }

  private static int sliceIndex(Args a, int i, int length) {
    Object v = a.get(i);
    long index;
    if (v instanceof String s) {
      try {
        index = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new EvalError(
            "Function slice: "
                + (i == 1 ? "start" : "end")
                + " index must be a number or a numeric string (got \""
                + s
                + "\")",
            "Call it as slice(input, start, [end]).");
      }
    } else {
      index = a.integer(i);
    }
    if (index < 0) {
      index = Math.max(0, length + index);
    }
    return (int) Math.min(index, length);
  }

  private static List<Object> split(String text, String separator) {
    List<Object> out = new ArrayList<>();
    if (separator.isEmpty()) {
      Limits.items(text.length(), "split");
      for (int i = 0; i < text.length(); i++) {
        out.add(String.valueOf(text.charAt(i)));
      }
      return out;
    }
    int start = 0;
    while (true) {
      int at = text.indexOf(separator, start);
      if (at < 0) {
        out.add(text.substring(start));
        return out;
      }
      Limits.items(out.size() + 2L, "split");
      out.add(text.substring(start, at));
      start = at + separator.length();
    }
  }

  /** JavaScript's String(value). */
  static String jsString(Object value) {
    if (value instanceof List<?>) {
      Limits.Text out = new Limits.Text("string");
      jsString(value, out);
      return out.toString();
    }
    return value instanceof Map ? "[object Object]" : Values.text(value);
  }

  private static void jsString(Object value, Limits.Text out) {
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        if (list.get(i) != null) {
          jsString(list.get(i), out);
        }
      }
    } else {
      out.append(value instanceof Map ? "[object Object]" : Values.text(value));
    }
  }

  private static String base64Encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Limits.chars((bytes.length + 2L) / 3 * 4, "base64Encode");
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String trim(String text, String characters) {
    if (characters == null) {
      return text.strip();
    }
    int start = 0;
    int end = text.length();
    while (start < end && characters.indexOf(text.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && characters.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }

  private static Yaml yaml() {
    DumperOptions dump = new DumperOptions();
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dump.setIndent(2);
    return new Yaml(
        new SafeConstructor(new LoaderOptions()), new Representer(dump), dump, new LoaderOptions());
  }

  private static Object yamlDecode(String text, boolean multi) {
    try {
      if (multi) {
        List<Object> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
          docs.add(Limits.decoded(doc, "yamlDecode"));
          Limits.items(docs.size(), "yamlDecode");
        }
        return docs;
      }
      return Limits.decoded(yaml().load(text), "yamlDecode");
    } catch (YAMLException e) {
      throw new EvalError(
          "Function yamlDecode could not parse its input as YAML: " + e.getMessage(),
          "Pass a valid YAML string; for several documents use yamlDecode(string, true).");
    }
  }

  private static String yamlEncode(Object value, boolean multi) {
    Limits.encodable(value, "yamlEncode");
    if (multi) {
      if (!(value instanceof List<?> docs)) {
        throw new EvalError(
            "Function yamlEncode: multiDocument is true but the value is "
                + Values.describe(value)
                + ", not an array",
            "Pass an array of documents, or drop the second argument.");
      }
      Limits.Writer out = new Limits.Writer("yamlEncode");
      for (Object doc : docs) {
        out.write("---");
        yaml().dump(doc, out);
      }
      return out.toString();
    }
    Limits.Writer out = new Limits.Writer("yamlEncode");
    yaml().dump(value, out);
    return out.toString();
  }
}
