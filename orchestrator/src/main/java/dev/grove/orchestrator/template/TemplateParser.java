package dev.grove.orchestrator.template;

import dev.grove.orchestrator.template.Ast.ArrayLit;
import dev.grove.orchestrator.template.Ast.Binary;
import dev.grove.orchestrator.template.Ast.Expr;
import dev.grove.orchestrator.template.Ast.IfBlock;
import dev.grove.orchestrator.template.Ast.Literal;
import dev.grove.orchestrator.template.Ast.Lookup;
import dev.grove.orchestrator.template.Ast.Nested;
import dev.grove.orchestrator.template.Ast.Node;
import dev.grove.orchestrator.template.Ast.Segment;
import dev.grove.orchestrator.template.Ast.Template;
import dev.grove.orchestrator.template.Ast.Ternary;
import dev.grove.orchestrator.template.Ast.Text;
import dev.grove.orchestrator.template.Ast.Unary;
import java.util.ArrayList;
import java.util.List;

/** A hand-written recursive-descent parser for Garden template strings (no regex). */
final class TemplateParser {

  /** A syntax error; {@code column} is 1-based within the string. */
  static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String suggestion;

    SyntaxError(String message, String suggestion) {
      super(message, null, false, false);
      this.suggestion = suggestion;
    }
  }

  private final String s;
  private final int n;
  private int pos;

  private TemplateParser(String s) {
    this.s = s;
    this.n = s.length();
  }

  static Template parse(String text) {
    TemplateParser p = new TemplateParser(text);
    List<Object> flat = p.scan();
    int[] index = {0};
    List<Segment> segments = p.build(flat, index, 0);
    return new Template(text, List.copyOf(segments));
  }

  private record IfStart(Node condition, int column) {}

  private record Else(int column) {}

  private record EndIf(int column) {}

  /** Splits the string into text, expressions and block markers. */
  private List<Object> scan() {
    List<Object> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '$' && i + 2 < n && s.charAt(i + 1) == '$' && s.charAt(i + 2) == '{') {
        int end = matchingBrace(i + 3);
        int stop = end < 0 ? n : end + 1;
        text.append(s, i + 1, stop);
        i = stop;
      } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
        if (text.length() > 0) {
          out.add(new Text(text.toString()));
          text.setLength(0);
        }
        pos = i + 2;
        out.add(placeholder());
        i = pos;
      } else {
        text.append(c);
        i++;
      }
    }
    if (text.length() > 0) {
      out.add(new Text(text.toString()));
    }
    return out;
  }

  private int matchingBrace(int from) {
    int depth = 1;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private Object placeholder() {
    int start = pos - 2;
    ws();
    if (keyword("else") && closesAfterWs()) {
      ws();
      pos++;
      return new Else(start + 1);
    }
    if (keyword("endif") && closesAfterWs()) {
      ws();
      pos++;
      return new EndIf(start + 1);
    }
    if (keyword("if") && pos + 2 < n && isWs(s.charAt(pos + 2))) {
      pos += 2;
      ws();
      Node condition = expression();
      ws();
      expect('}', "\"}\" to close ${if ...}");
      if (pos < n && s.charAt(pos) == '?') {
        throw error("Cannot use the optional suffix \"?\" on an ${if ...} block", pos);
      }
      return new IfStart(condition, start + 1);
    }
    if (pos < n && s.charAt(pos) == '}') {
      throw error("Empty template expression \"${}\" at column " + (start + 1), pos);
    }
    Node node = expression();
    ws();
    expect('}', "an operator or \"}\"");
    boolean optional = false;
    if (pos < n && s.charAt(pos) == '?') {
      optional = true;
      pos++;
    }
    return new Expr(node, optional);
  }

  private boolean closesAfterWs() {
    int save = pos;
    int p = pos;
    while (p < n && (Character.isLetter(s.charAt(p)))) {
      p++;
    }
    while (p < n && isWs(s.charAt(p))) {
      p++;
    }
    boolean closes = p < n && s.charAt(p) == '}';
    if (closes) {
      // consume the keyword; caller skips whitespace and the brace
      while (pos < n && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
    } else {
      pos = save;
    }
    return closes;
  }

  private List<Segment> build(List<Object> flat, int[] index, int depth) {
    List<Segment> out = new ArrayList<>();
    while (index[0] < flat.size()) {
      Object item = flat.get(index[0]);
      if (item instanceof Segment seg) {
        out.add(seg);
        index[0]++;
      } else if (item instanceof IfStart start) {
        index[0]++;
        List<Segment> then = build(flat, index, depth + 1);
        List<Segment> otherwise = List.of();
        if (index[0] < flat.size() && flat.get(index[0]) instanceof Else) {
          index[0]++;
          otherwise = build(flat, index, depth + 1);
        }
        if (index[0] >= flat.size() || !(flat.get(index[0]) instanceof EndIf)) {
          throw new SyntaxError(
              "Missing ${endif} for the ${if ...} block at column " + start.column(),
              "Close each ${if ...} block with ${endif}.");
        }
        index[0]++;
        out.add(new IfBlock(start.condition(), List.copyOf(then), List.copyOf(otherwise)));
      } else if (depth > 0) {
        return out;
      } else if (item instanceof Else e) {
        throw new SyntaxError(
            "Found ${else} at column " + e.column() + " without a matching ${if ...}",
            "Start the block with ${if <condition>}.");
      } else if (item instanceof EndIf e) {
        throw new SyntaxError(
            "Found ${endif} at column " + e.column() + " without a matching ${if ...}",
            "Start the block with ${if <condition>}, or remove the ${endif}.");
      }
    }
    return out;
  }

  // ---- expressions ----

  private Node expression() {
    Node test = or();
    ws();
    if (pos < n && s.charAt(pos) == '?') {
      pos++;
      ws();
      Node then = expression();
      ws();
      expect(':', "\":\" in a ternary expression (a ? b : c)");
      ws();
      Node otherwise = expression();
      return new Ternary(test, then, otherwise);
    }
    return test;
  }

  private Node or() {
    Node left = and();
    while (true) {
      ws();
      if (peek("||")) {
        pos += 2;
        ws();
        left = new Binary("||", left, and());
      } else {
        return left;
      }
    }
  }

  private Node and() {
    Node left = equality();
    while (true) {
      ws();
      if (peek("&&")) {
        pos += 2;
        ws();
        left = new Binary("&&", left, equality());
      } else {
        return left;
      }
    }
  }

  private Node equality() {
    Node left = relational();
    while (true) {
      ws();
      String op = peek("==") ? "==" : peek("!=") ? "!=" : null;
      if (op == null) {
        return left;
      }
      pos += 2;
      ws();
      left = new Binary(op, left, relational());
    }
  }

  private Node relational() {
    Node left = additive();
    while (true) {
      ws();
      String op;
      if (peek("<=")) {
        op = "<=";
      } else if (peek(">=")) {
        op = ">=";
      } else if (peek("<")) {
        op = "<";
      } else if (peek(">")) {
        op = ">";
      } else {
        return left;
      }
      pos += op.length();
      ws();
      left = new Binary(op, left, additive());
    }
  }

  private Node additive() {
    Node left = multiplicative();
    while (true) {
      ws();
      if (pos < n && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        String op = String.valueOf(s.charAt(pos));
        pos++;
        ws();
        left = new Binary(op, left, multiplicative());
      } else {
        return left;
      }
    }
  }

  private Node multiplicative() {
    Node left = contains();
    while (true) {
      ws();
      if (pos < n && (s.charAt(pos) == '*' || s.charAt(pos) == '/' || s.charAt(pos) == '%')) {
        String op = String.valueOf(s.charAt(pos));
        pos++;
        ws();
        left = new Binary(op, left, contains());
      } else {
        return left;
      }
    }
  }

  private Node contains() {
    Node left = unary();
    int save = pos;
    ws();
    if (keyword("contains")) {
      pos += "contains".length();
      ws();
      return new Binary("contains", left, unary());
    }
    pos = save;
    return left;
  }

  private Node unary() {
    ws();
    if (pos < n && s.charAt(pos) == '!' && !peek("!=")) {
      pos++;
      ws();
      return new Unary("!", unary());
    }
    if (keyword("typeof")) {
      pos += "typeof".length();
      ws();
      return new Unary("typeof", unary());
    }
    if (pos < n && s.charAt(pos) == '-') {
      pos++;
      ws();
      return new Unary("-", unary());
    }
    return primary();
  }

  private Node primary() {
    if (pos >= n) {
      throw error("Unexpected end of template at column " + (pos + 1) + "; expected a value", pos);
    }
    char c = s.charAt(pos);
    if (c == '(') {
      pos++;
      ws();
      Node inner = expression();
      ws();
      expect(')', "\")\"");
      return inner;
    }
    if (c == '[') {
      pos++;
      List<Node> items = new ArrayList<>();
      ws();
      if (pos < n && s.charAt(pos) == ']') {
        pos++;
        return new ArrayLit(List.of());
      }
      while (true) {
        ws();
        items.add(expression());
        ws();
        if (pos < n && s.charAt(pos) == ',') {
          pos++;
        } else {
          expect(']', "\",\" or \"]\" in an array literal");
          return new ArrayLit(List.copyOf(items));
        }
      }
    }
    if (c == '"' || c == '\'') {
      String value = stringLiteral(c);
      if (TemplateResolver.hasTemplate(value) || value.contains("$${")) {
        return new Nested(TemplateParser.parse(value));
      }
      return new Literal(value);
    }
    if (isDigit(c) || (c == '.' && pos + 1 < n && isDigit(s.charAt(pos + 1)))) {
      return new Literal(number());
    }
    if (isIdentStart(c)) {
      int start = pos;
      String name = identifier();
      if (name.equals("true")) {
        return new Literal(Boolean.TRUE);
      }
      if (name.equals("false")) {
        return new Literal(Boolean.FALSE);
      }
      if (name.equals("null")) {
        return new Literal(null);
      }
      int save = pos;
      ws();
      if (pos < n && s.charAt(pos) == '(') {
        pos++;
        List<Node> args = new ArrayList<>();
        ws();
        if (pos < n && s.charAt(pos) == ')') {
          pos++;
        } else {
          while (true) {
            ws();
            args.add(expression());
            ws();
            if (pos < n && s.charAt(pos) == ',') {
              pos++;
            } else {
              expect(')', "\",\" or \")\" in the arguments of " + name + "(...)");
              break;
            }
          }
        }
        return new Ast.Call(name, List.copyOf(args), start + 1);
      }
      pos = save;
      return lookupTail(name);
    }
    throw error(
        "Unexpected "
            + describeAt(pos)
            + " at column "
            + (pos + 1)
            + "; expected a value (a key, literal, function call or \"(\")",
        pos);
  }

  private Node lookupTail(String root) {
    List<Node> keys = new ArrayList<>();
    while (pos < n) {
      char c = s.charAt(pos);
      if (c == '.') {
        pos++;
        if (pos < n && (isIdentPart(s.charAt(pos)))) {
          keys.add(new Literal(identifier()));
        } else {
          throw error(
              "Unexpected "
                  + describeAt(pos)
                  + " at column "
                  + (pos + 1)
                  + "; expected a key name after \".\"",
              pos);
        }
      } else if (c == '[') {
        pos++;
        ws();
        Node key = expression();
        ws();
        expect(']', "\"]\" to close the bracket lookup");
        if (key instanceof Literal lit && lit.value() != null && !(lit.value() instanceof String)) {
          key = new Literal(Values.text(lit.value()));
        }
        keys.add(key);
      } else {
        break;
      }
    }
    return new Lookup(root, List.copyOf(keys));
  }

  private String identifier() {
    int start = pos;
    while (pos < n && isIdentPart(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private Object number() {
    int start = pos;
    if (peek("0x") || peek("0X")) {
      pos += 2;
      int hexStart = pos;
      while (pos < n && Character.digit(s.charAt(pos), 16) >= 0) {
        pos++;
      }
      if (pos == hexStart) {
        throw error("Invalid hex number at column " + (start + 1), pos);
      }
      return Long.parseLong(s.substring(hexStart, pos), 16);
    }
    boolean decimal = false;
    while (pos < n && isDigit(s.charAt(pos))) {
      pos++;
    }
    if (pos < n && s.charAt(pos) == '.' && pos + 1 < n && isDigit(s.charAt(pos + 1))) {
      decimal = true;
      pos++;
      while (pos < n && isDigit(s.charAt(pos))) {
        pos++;
      }
    }
    if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < n && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < n && isDigit(s.charAt(pos))) {
        decimal = true;
        while (pos < n && isDigit(s.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    if (pos < n && isIdentStart(s.charAt(pos))) {
      throw error(
          "Unexpected " + describeAt(pos) + " at column " + (pos + 1) + " right after a number",
          pos);
    }
    String literal = s.substring(start, pos);
    if (!decimal) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException e) {
        return Double.parseDouble(literal);
      }
    }
    return Double.parseDouble(literal);
  }

  private String stringLiteral(char quote) {
    int start = pos;
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= n) {
        throw error(
            "Unterminated string starting at column "
                + (start + 1)
                + "; expected a closing "
                + quote,
            pos);
      }
      char c = s.charAt(pos++);
      if (c == quote) {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= n) {
        continue;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000B');
        case '0' -> out.append('\0');
        case 'x' -> out.append(hexEscape(2));
        case 'u' -> out.append(hexEscape(4));
        case '\n' -> {}
        default -> out.append(e);
      }
    }
  }

  private char hexEscape(int digits) {
    if (pos + digits > n) {
      throw error("Invalid escape sequence at column " + (pos + 1), pos);
    }
    int value = 0;
    for (int i = 0; i < digits; i++) {
      int d = Character.digit(s.charAt(pos + i), 16);
      if (d < 0) {
        throw error("Invalid escape sequence at column " + (pos + i + 1), pos);
      }
      value = value * 16 + d;
    }
    pos += digits;
    return (char) value;
  }

  // ---- lexical helpers ----

  private void ws() {
    while (pos < n && isWs(s.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isWs(char c) {
    return c == ' '
        || c == '\t'
        || c == '\n'
        || c == '\r'
        || c == '\f'
        || c == '\u000B'
        || c == '\u00A0'
        || c == '\uFEFF';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$';
  }

  private static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-';
  }

  private boolean peek(String token) {
    return s.startsWith(token, pos);
  }

  /** True when {@code word} is at pos as a whole word (not the start of a longer identifier). */
  private boolean keyword(String word) {
    if (!s.startsWith(word, pos)) {
      return false;
    }
    int end = pos + word.length();
    return end >= n || !isIdentPart(s.charAt(end));
  }

  private void expect(char c, String what) {
    if (pos < n && s.charAt(pos) == c) {
      pos++;
      return;
    }
    throw error(
        "Unexpected " + describeAt(pos) + " at column " + (pos + 1) + "; expected " + what, pos);
  }

  private String describeAt(int p) {
    if (p >= n) {
      return "end of template";
    }
    return "character '" + s.charAt(p) + "'";
  }

  private SyntaxError error(String message, int at) {
    String suggestion =
        at >= n && s.lastIndexOf('}') < 0
            ? "Close the expression with \"}\"."
            : "Check the expression syntax near column "
                + (Math.min(at, n) + 1)
                + "; quote string literals and close every \"${\" with \"}\".";
    return new SyntaxError(message, suggestion);
  }
}
