package dev.grove.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.grove.api.event.ActionInfo;
import dev.grove.api.event.Event;
import dev.grove.api.event.EventPayload;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's JSON: a small reader and writer for the api records. A JSON library costs the CLI ~300
 * ms of start-up on every command (measured: mapper creation 200 ms, first parse 100 ms), which
 * alone would break the 0.5 s budget of {@code grove validate}; this codec costs ~10 ms. Records
 * are written in component order, honouring {@link JsonInclude} as Jackson does.
 */
public final class Json {
  private Json() {}

  // ---- writing ----

  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(value, out, JsonInclude.Include.ALWAYS);
    return out.toString();
  }

  public static byte[] writeBytes(Object value) {
    return write(value).getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Object value, StringBuilder out, JsonInclude.Include ignored) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      quote(text, out);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Number number) {
      double d = number.doubleValue();
      out.append(
          d == Math.rint(d) && !Double.isInfinite(d)
              ? Long.toString((long) d)
              : Double.toString(d));
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(String.valueOf(entry.getKey()), out);
        out.append(':');
        write(entry.getValue(), out, JsonInclude.Include.ALWAYS);
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out, JsonInclude.Include.ALWAYS);
      }
      out.append(']');
    } else if (value instanceof Enum<?> constant) {
      quote(enumName(constant), out);
    } else if (value.getClass().isRecord()) {
      writeRecord((Record) value, out);
    } else {
      quote(value.toString(), out);
    }
  }

  /** The constant's {@link JsonValue} when its enum has one (as Jackson writes it), else name. */
  private static String enumName(Enum<?> constant) {
    for (java.lang.reflect.Method method : constant.getDeclaringClass().getMethods()) {
      if (method.isAnnotationPresent(JsonValue.class) && method.getParameterCount() == 0) {
        try {
          return String.valueOf(method.invoke(constant));
        } catch (ReflectiveOperationException e) {
          break;
        }
      }
    }
    return constant.name();
  }

  private static void writeRecord(Record record, StringBuilder out) {
    JsonInclude classRule = record.getClass().getAnnotation(JsonInclude.class);
    out.append('{');
    boolean first = true;
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component.getName(), e);
      }
      // on a component, Jackson's annotations (not meant for components) land on its accessor
      JsonInclude rule = component.getAccessor().getAnnotation(JsonInclude.class);
      if (rule == null) {
        rule = classRule;
      }
      if (rule != null && skip(rule.value(), value)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(component.getName(), out);
      out.append(':');
      write(value, out, JsonInclude.Include.ALWAYS);
    }
    out.append('}');
  }

  private static boolean skip(JsonInclude.Include rule, Object value) {
    return switch (rule) {
      case NON_NULL -> value == null;
      case NON_EMPTY ->
          value == null
              || value instanceof String s && s.isEmpty()
              || value instanceof Collection<?> c && c.isEmpty()
              || value instanceof Map<?, ?> m && m.isEmpty();
      default -> false;
    };
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  // ---- reading ----

  /** Parses JSON into maps, lists, strings, longs, doubles, booleans and nulls. */
  public static Object parse(String text) {
    Parser parser = new Parser(text);
    parser.skipSpace();
    Object value = parser.value();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected text after the JSON value");
    }
    return value;
  }

  public static Object parse(byte[] bytes) {
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  /** Parses JSON into a record of the api (or a map, list or scalar). */
  public static <T> T read(byte[] bytes, Class<T> type) {
    return type.cast(convert(parse(bytes), type));
  }

  public static <T> T read(String text, Class<T> type) {
    return type.cast(convert(parse(text), type));
  }

  /**
   * An event of the daemon's stream (a parsed line), its payload read into the record of its type;
   * null for a type this CLI does not know (a newer daemon's) or a payload that does not fit its
   * record.
   */
  public static Event event(Map<?, ?> event) {
    String type = String.valueOf(event.get("type"));
    Class<? extends EventPayload> record = EventPayload.recordOf(type);
    if (record == null || !(event.get("payload") instanceof Map<?, ?> payload)) {
      return null;
    }
    try {
      return new Event(
          event.get("seq") instanceof Number seq ? seq.longValue() : 0,
          event.get("time") instanceof Number time ? time.longValue() : 0,
          event.get("runId") == null ? null : event.get("runId").toString(),
          type,
          (ActionInfo) convert(event.get("action"), ActionInfo.class),
          record.cast(convert(payload, record)));
    } catch (IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  private static Object convert(Object value, Type type) {
    if (value == null) {
      if (type == int.class || type == long.class) {
        return 0;
      }
      return type == boolean.class ? false : null;
    }
    if (type instanceof ParameterizedType parameterized) {
      Type raw = parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (raw == List.class && value instanceof List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(item -> out.add(convert(item, args[0])));
        return out;
      }
      if (raw == Map.class && value instanceof Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k.toString(), convert(v, args[1])));
        return out;
      }
      throw new IllegalArgumentException("expected " + raw.getTypeName() + ", got " + value);
    }
    Class<?> target = (Class<?>) type;
    if (target == Object.class) {
      return value;
    }
    if (target == String.class) {
      return value.toString();
    }
    if (target == int.class || target == Integer.class) {
      return ((Number) value).intValue();
    }
    if (target == long.class || target == Long.class) {
      return ((Number) value).longValue();
    }
    if (target == boolean.class || target == Boolean.class) {
      return value;
    }
    if (target.isEnum()) {
      for (Object constant : target.getEnumConstants()) {
        Enum<?> each = (Enum<?>) constant;
        if (each.name().equalsIgnoreCase(value.toString()) || enumName(each).equals(value)) {
          return each;
        }
      }
      throw new IllegalArgumentException("unknown " + target.getSimpleName() + " " + value);
    }
    if (target.isRecord() && value instanceof Map<?, ?> map) {
      RecordShape shape = RECORDS.get(target);
      Object[] args = new Object[shape.names.length];
      for (int i = 0; i < args.length; i++) {
        args[i] = convert(map.get(shape.names[i]), shape.types[i]);
      }
      try {
        return shape.constructor.newInstance(args);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot build " + target.getSimpleName(), e);
      }
    }
    throw new IllegalArgumentException("expected " + target.getSimpleName() + ", got " + value);
  }

  /**
   * A record's component names, generic types and canonical constructor, looked up once per class:
   * reflection on every event of a 1,000-action run cost the CLI ~0.3 s.
   */
  private record RecordShape(String[] names, Type[] types, Constructor<?> constructor) {}

  private static final ClassValue<RecordShape> RECORDS =
      new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          String[] names = new String[components.length];
          Type[] types = new Type[components.length];
          Class<?>[] raw = new Class<?>[components.length];
          for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            types[i] = components[i].getGenericType();
            raw[i] = components[i].getType();
          }
          try {
            return new RecordShape(names, types, type.getDeclaredConstructor(raw));
          } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("cannot build " + type.getSimpleName(), e);
          }
        }
      };

  /** A recursive-descent JSON parser over a string. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Object value() {
      if (pos >= text.length()) {
        throw error("unexpected end of JSON");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          return number();
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        map.put(key, value());
        skipSpace();
        char next = next();
        if (next == '}') {
          return map;
        }
        if (next != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      pos++;
      skipSpace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipSpace();
        list.add(value());
        skipSpace();
        char next = next();
        if (next == ']') {
          return list;
        }
        if (next != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      pos++;
      StringBuilder out = null;
      int start = pos;
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return out == null ? text.substring(start, pos - 1) : out.toString();
        }
        if (c == '\\') {
          if (out == null) {
            out = new StringBuilder(text.substring(start, pos - 1));
          }
          char escaped = next();
          switch (escaped) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> {
              out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
              pos += 4;
            }
            default -> out.append(escaped);
          }
        } else if (out != null) {
          out.append(c);
        }
      }
    }

    private Object number() {
      int start = pos;
      boolean decimal = false;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.' || c == 'e' || c == 'E') {
          decimal = true;
        } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
          break;
        }
        pos++;
      }
      if (start == pos) {
        throw error("unexpected character '" + text.charAt(pos) + "'");
      }
      String number = text.substring(start, pos);
      return decimal ? (Object) Double.parseDouble(number) : (Object) Long.parseLong(number);
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("unexpected token");
      }
      pos += word.length();
      return value;
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private char peek() {
      if (pos >= text.length()) {
        throw error("unexpected end of JSON");
      }
      return text.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw error("expected '" + c + "'");
      }
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException(message + " at offset " + pos);
    }
  }
}
