package dev.grove.orchestrator.template;

import java.util.List;

/** The parsed form of template strings and their expressions. */
final class Ast {
  private Ast() {}

  sealed interface Node permits Literal, ArrayLit, Lookup, Call, Unary, Binary, Ternary, Nested {}

  record Literal(Object value) implements Node {}

  record ArrayLit(List<Node> items) implements Node {}

  /** A root name then keys; a key that is a String {@link Literal} is static, others computed. */
  record Lookup(String root, List<Node> keys) implements Node {}

  record Call(String name, List<Node> args, int column) implements Node {}

  record Unary(String op, Node operand) implements Node {}

  record Binary(String op, Node left, Node right) implements Node {}

  record Ternary(Node test, Node then, Node otherwise) implements Node {}

  /** A string literal that itself holds a template. */
  record Nested(Template template) implements Node {}

  sealed interface Segment permits Text, Expr, IfBlock {}

  record Text(String text) implements Segment {}

  record Expr(Node node, boolean optional) implements Segment {}

  record IfBlock(Node condition, List<Segment> then, List<Segment> otherwise) implements Segment {}

  /** One parsed string; {@code single} when it is exactly one expression, so its type is kept. */
  record Template(String source, List<Segment> segments) {
    boolean single() {
      return segments.size() == 1 && segments.get(0) instanceof Expr;
    }
  }
}
