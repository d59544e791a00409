package dev.grove.orchestrator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateResolverTest {

  private final TemplateResolver resolver = new TemplateResolver();

  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put((String) keyValues[i], keyValues[i + 1]);
    }
    return out;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  static Map<String, Object> context() {
    return map(
        "var",
        map(
            "imageTag",
            "v1",
            "replicas",
            3L,
            "ratio",
            2.5,
            "enabled",
            true,
            "empty",
            "",
            "names",
            list("api", "web"),
            "obj",
            map("x", 1L, "deployment-image-id", "img-1"),
            "byEnv",
            map("dev", "d", "prod", "p"),
            "nothing",
            null,
            "json",
            "{\"a\":[1,2]}"),
        "environment",
        map("name", "dev", "namespace", "grove-dev"),
        "local",
        map("env", map("HOME", "/home/me")),
        "actions",
        new TemplateValues.Unavailable(
            "Action references are not allowed in project fields; only in action spec fields."),
        "runtime",
        TemplateValues.DEFERRED,
        "providers",
        map("kubernetes", map("outputs", TemplateValues.DEFERRED)));
  }

  static Stream<Arguments> values() {
    return Stream.of(
        // literals and type preservation
        arguments("string literal double quoted", "${\"a\\tb\"}", "a\tb"),
        arguments("string literal single quoted", "${'it\\'s'}", "it's"),
        arguments("unicode escape in string literal", "${\"\\u0041\"}", "A"),
        arguments("integer literal keeps Long", "${42}", 42L),
        arguments("decimal literal keeps Double", "${2.5}", 2.5),
        arguments("true literal", "${true}", true),
        arguments("false literal", "${false}", false),
        arguments("null literal", "${null}", null),
        arguments("array literal", "${[1, \"a\", true]}", list(1L, "a", true)),
        arguments("empty array literal", "${[]}", list()),
        arguments(
            "lookup keeps map type", "${var.obj}", map("x", 1L, "deployment-image-id", "img-1")),
        arguments("lookup keeps list type", "${var.names}", list("api", "web")),
        arguments("lookup keeps number type", "${var.replicas}", 3L),
        arguments("lookup keeps null", "${var.nothing}", null),
        arguments("whitespace inside braces is ignored", "${  var.imageTag  }", "v1"),
        // joining
        arguments("text around expression joins as string", "image:${var.imageTag}", "image:v1"),
        arguments("several expressions in one string", "${var.imageTag}-${var.replicas}", "v1-3"),
        arguments("number joins in plain form", "r=${var.ratio}", "r=2.5"),
        arguments("boolean joins as true", "on=${var.enabled}", "on=true"),
        arguments("null joins as null", "n=${var.nothing}", "n=null"),
        arguments("whole double joins without fraction", "${4.0} x", "4 x"),
        // lookups
        arguments("bracket lookup with string key", "${var[\"imageTag\"]}", "v1"),
        arguments("bracket lookup with list index", "${var.names[1]}", "web"),
        arguments("dot lookup with numeric index", "${var.names.0}", "api"),
        arguments("nested expression as key", "${var.byEnv[environment.name]}", "d"),
        arguments("key with dashes via dots", "${var.obj.deployment-image-id}", "img-1"),
        arguments("deep lookup", "${local.env.HOME}", "/home/me"),
        // arithmetic
        arguments("addition of integers stays Long", "${1 + 2}", 3L),
        arguments("addition with a double gives Double", "${1 + 0.5}", 1.5),
        arguments("subtraction", "${var.replicas - 1}", 2L),
        arguments("multiplication", "${var.replicas * 2}", 6L),
        arguments("exact division gives Long", "${6 / 3}", 2L),
        arguments("inexact division gives Double", "${7 / 2}", 3.5),
        arguments("modulo", "${7 % 3}", 1L),
        arguments("precedence of * over +", "${1 + 2 * 3}", 7L),
        arguments("parentheses override precedence", "${(1 + 2) * 3}", 9L),
        arguments("unary minus", "${-var.replicas}", -3L),
        arguments("plus joins strings", "${\"a\" + \"b\"}", "ab"),
        arguments("plus concatenates arrays", "${[1] + [2]}", list(1L, 2L)),
        // comparison and equality
        arguments("less than", "${1 < 2}", true),
        arguments("less or equal", "${2 <= 2}", true),
        arguments("greater than", "${1 > 2}", false),
        arguments("greater or equal", "${var.replicas >= 3}", true),
        arguments("equality of strings", "${environment.name == \"dev\"}", true),
        arguments("inequality", "${environment.name != \"dev\"}", false),
        arguments("number equality across Long and Double", "${3 == 3.0}", true),
        arguments("no coercion between string and number", "${\"3\" == 3}", false),
        arguments("deep equality of lists", "${var.names == [\"api\", \"web\"]}", true),
        arguments("deep equality of maps", "${var.obj == var.obj}", true),
        // logic
        arguments("and of true values gives the right side", "${true && \"x\"}", "x"),
        arguments("and short-circuits on false", "${false && var.missing}", false),
        arguments("or gives the left side when truthy", "${var.imageTag || \"x\"}", "v1"),
        arguments("or default for missing key", "${var.missing || \"x\"}", "x"),
        arguments("or default for falsy left", "${var.empty || \"fallback\"}", "fallback"),
        arguments("or default for missing root", "${nope.deep || 5}", 5L),
        arguments("not", "${!var.enabled}", false),
        arguments("not of missing is false (Garden quirk)", "${!var.missing}", false),
        arguments("ternary true branch", "${var.enabled ? \"yes\" : \"no\"}", "yes"),
        arguments("ternary false branch", "${environment.name == \"prod\" ? 3 : 1}", 1L),
        arguments(
            "ternary on a missing key takes the false branch (Garden 0.13.24)",
            "${var.missing ? \"ci\" : \"dev\"}",
            "dev"),
        arguments(
            "and of a missing key is false (Garden 0.13.24)", "${var.missing && \"x\"}", false),
        arguments("typeof string", "${typeof var.imageTag}", "string"),
        arguments("typeof number", "${typeof var.replicas}", "number"),
        arguments("typeof object", "${typeof var.obj}", "object"),
        arguments("typeof missing is undefined", "${typeof var.missing}", "undefined"),
        arguments("contains on string", "${var.imageTag contains \"1\"}", true),
        arguments("contains on list", "${var.names contains \"web\"}", true),
        arguments("contains on map checks keys", "${var.obj contains \"x\"}", true),
        arguments("contains is false when absent", "${var.names contains \"db\"}", false),
        // blocks
        arguments("if block true", "a${if var.enabled}-on${endif}", "a-on"),
        arguments("if block with else", "${if var.replicas > 5}big${else}small${endif}", "small"),
        arguments("nested if blocks", "${if true}x${if false}y${else}z${endif}${endif}", "xz"),
        // escapes
        arguments("escaped template stays literal", "$${var.imageTag}", "${var.imageTag}"),
        arguments("escape next to a real template", "$${a} ${var.imageTag}", "${a} v1"),
        arguments("string literal with nested template", "${\"tag-${var.imageTag}\"}", "tag-v1"),
        // optional suffix
        arguments("optional suffix gives null when whole string", "${var.missing}?", null),
        arguments("optional suffix gives empty text in a string", "a-${var.missing}?-b", "a--b"),
        arguments("optional suffix keeps a present value", "${var.imageTag}?", "v1"),
        // deferred
        arguments("deferred value leaves string as written", "${runtime.x.y}", "${runtime.x.y}"),
        arguments(
            "deferred value inside a longer string leaves it as written",
            "url=${providers.kubernetes.outputs.url}",
            "url=${providers.kubernetes.outputs.url}"),
        arguments("plain text without templates", "no templates", "no templates"),
        // functions
        arguments("base64Encode", "${base64Encode(\"my value\")}", "bXkgdmFsdWU="),
        arguments("base64Decode", "${base64Decode(\"bXkgdmFsdWU=\")}", "my value"),
        arguments("camelCase", "${camelCase(\"--foo-bar--\")}", "fooBar"),
        arguments("kebabCase", "${kebabCase(\"fooBar Baz\")}", "foo-bar-baz"),
        arguments("kebabCase of upper snake", "${kebabCase(\"__FOO_BAR__\")}", "foo-bar"),
        arguments("concat arrays", "${concat([1, 2], [3])}", list(1L, 2L, 3L)),
        arguments("concat strings", "${concat(\"a\", \"b\")}", "ab"),
        arguments(
            "formatDateUtc",
            "${formatDateUtc(\"2021-01-01T13:04:05Z\", \"yyyy-MM-dd HH:mm\")}",
            "2021-01-01 13:04"),
        arguments(
            "shiftDateUtc",
            "${shiftDateUtc(\"2021-01-01T00:00:00Z\", -1, \"seconds\")}",
            "2020-12-31T23:59:59.000Z"),
        arguments(
            "modifyDateUtc months count from zero",
            "${modifyDateUtc(\"2021-03-01T00:00:00Z\", 0, \"months\")}",
            "2021-01-01T00:00:00.000Z"),
        arguments("indent", "${indent(\"a\\nb\", 2)}", "  a\n  b"),
        arguments("isEmpty of empty string", "${isEmpty(var.empty)}", true),
        arguments("isEmpty of a list", "${isEmpty(var.names)}", false),
        arguments("join", "${join(var.names, \",\")}", "api,web"),
        arguments("jsonDecode", "${jsonDecode(var.json)}", map("a", list(1L, 2L))),
        arguments(
            "jsonEncode puts an object into a string",
            "v=${jsonEncode(var.obj)}",
            "v={\"x\":1,\"deployment-image-id\":\"img-1\"}"),
        arguments("lower", "${lower(\"Some String\")}", "some string"),
        arguments("upper", "${upper(\"Some String\")}", "SOME STRING"),
        arguments("range is inclusive", "${range(1, 3)}", list(1L, 2L, 3L)),
        arguments("replace all occurrences", "${replace(\"a_b_c\", \"_\", \"-\")}", "a-b-c"),
        arguments(
            "sha256",
            "${sha256(\"Some String\")}",
            "7f0fd64653ba0bb1a579ced2b6bf375e916cc60662109ee0c0b24f0a750c3a6c"),
        arguments(
            "slice with negative end",
            "${slice(\"ThisIsALongStringThatINeedAPartOf\", 11, -7)}",
            "StringThatINeed"),
        arguments("slice of a list", "${slice(var.names, 1)}", list("web")),
        arguments("split", "${split(\"a,b,c\", \",\")}", list("a", "b", "c")),
        arguments("string of a number", "${string(1)}", "1"),
        arguments("trim whitespace", "${trim(\"  x \")}", "x"),
        arguments("trim given characters", "${trim(\"--x--\", \"-\")}", "x"),
        arguments("yamlDecode", "${yamlDecode(\"a: 1\\nb: two\\n\")}", map("a", 1L, "b", "two")),
        arguments("yamlEncode", "${yamlEncode(var.byEnv)}", "dev: d\nprod: p\n"),
        arguments(
            "yamlDecode multi-document",
            "${yamlDecode(\"a: 1\\n---\\na: 2\\n\", true)}",
            list(map("a", 1L), map("a", 2L))),
        arguments(
            "function result used in an expression", "${upper(var.imageTag) + \"!\"}", "V1!"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("values")
  void resolvesExpression(String behaviour, String template, Object expected) throws Exception {
    assertThat(resolver.resolveString(template, context())).isEqualTo(expected);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments(
            "missing key names key, parent and available keys",
            "${var.imagTag}",
            "Could not find key \"imagTag\" under \"var\". Available keys: imageTag, replicas",
            "Did you mean var.imageTag?"),
        arguments(
            "missing root names the available roots",
            "${vra.imageTag}",
            "Could not find key \"vra\" in the template context",
            "Did you mean var?"),
        arguments(
            "index out of range",
            "${var.names[5]}",
            "Index 5 is out of range under \"var.names\"",
            "0 to 1"),
        arguments(
            "lookup under a scalar",
            "${var.imageTag.x}",
            "it is string, not an object",
            "holds a value"),
        arguments(
            "unavailable context reports its reason",
            "${actions.build.api.outputs.id}",
            "Action references are not allowed in project fields",
            "actions"),
        arguments(
            "object inside a larger string",
            "labels: ${var.obj}",
            "Cannot put an object into a string",
            "Use ${jsonEncode(...)} to put an object into a string."),
        arguments(
            "array inside a larger string",
            "names: ${var.names}",
            "Cannot put an array into a string",
            "jsonEncode"),
        arguments(
            "syntax error names column and expectation",
            "${var.a +}",
            "column 10; expected a value",
            "column"),
        arguments("unclosed expression", "${var.a", "expected an operator or \"}\"", "Close"),
        arguments(
            "unterminated string literal",
            "${\"abc}",
            "Unterminated string starting at column 3",
            ""),
        arguments("else without if", "${else}", "without a matching ${if", "${if"),
        arguments("if without endif", "${if true}x", "Missing ${endif}", "${endif}"),
        arguments(
            "unknown function suggests the closest",
            "${lowr(\"A\")}",
            "Could not find helper function \"lowr\"",
            "Did you mean lower?"),
        arguments(
            "wrong argument count names the signature",
            "${lower(\"a\", \"b\")}",
            "Function lower takes 1 argument, got 2",
            "lower(string)"),
        arguments(
            "wrong argument type names the signature",
            "${upper(1)}",
            "Function upper expects argument 1 to be a string, got number",
            "upper(string)"),
        arguments(
            "concat of mixed kinds",
            "${concat(\"a\", [1])}",
            "both terms to be arrays or both strings",
            "concat(arg1, arg2)"),
        arguments(
            "plus of string and number", "${\"a\" + 1}", "Both terms of + must be", "string("),
        arguments("arithmetic on a string", "${\"a\" * 2}", "Both terms of * must be numbers", "*"),
        arguments("division by zero", "${1 / 0}", "Division by zero", "divisor"),
        arguments(
            "missing key compared with == (as in Garden 0.13.24)",
            "${var.missing == \"x\"}",
            "Could not find key \"missing\"",
            ""),
        arguments(
            "missing key in an if block (as in Garden 0.13.24)",
            "${if var.missing}a${endif}",
            "Could not find key \"missing\"",
            ""),
        arguments(
            "missing key in arithmetic",
            "${var.missing + 1}",
            "Could not find key \"missing\"",
            ""),
        arguments(
            "jsonDecode of invalid JSON",
            "${jsonDecode(\"{nope\")}",
            "could not parse its input as JSON",
            "valid JSON"),
        arguments(
            "bad date",
            "${shiftDateUtc(\"yesterday\", 1, \"days\")}",
            "could not parse the date \"yesterday\"",
            "ISO 8601"),
        arguments(
            "bad time unit",
            "${shiftDateUtc(\"2021-01-01T00:00:00Z\", 1, \"fortnights\")}",
            "does not know the time unit \"fortnights\"",
            "weeks"),
        arguments(
            "optional suffix is not allowed on an if block",
            "${if true}?x${endif}",
            "optional suffix",
            ""),
        arguments(
            "missing key in an if condition",
            "${if var.nope}x${endif}",
            "Could not find key \"nope\" under \"var\"",
            ""),
        arguments(
            "an unavailable reference is an error even next to a deferred one",
            "${actions.x} ${runtime.y}",
            "Action references are not allowed",
            ""),
        arguments("contains on a number", "${1 contains 1}", "left-hand side of a 'contains'", ""));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("errors")
  void reportsError(String behaviour, String template, String message, String suggestion) {
    TemplateException e =
        catchThrowableOfType(
            TemplateException.class, () -> resolver.resolveString(template, context()));
    assertThat(e).as("expected an error for %s", template).isNotNull();
    assertThat(e.getMessage()).contains(message);
    assertThat(e.suggestion()).contains(suggestion);
    assertThat(e.expression()).isEqualTo(template);
    assertThat(e.path()).isEmpty();
  }

  @Test
  void uuidv4GivesARandomVersion4Uuid() throws Exception {
    Object value = resolver.resolveString("${uuidv4()}", context());
    assertThat((String) value)
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @Test
  void hasTemplateIgnoresEscapedTemplates() {
    assertThat(TemplateResolver.hasTemplate("a ${b}")).isTrue();
    assertThat(TemplateResolver.hasTemplate("$${b} ${c}")).isTrue();
    assertThat(TemplateResolver.hasTemplate("$${b}")).isFalse();
    assertThat(TemplateResolver.hasTemplate("plain $ { text }")).isFalse();
  }

  @Test
  void sameStringResolvesAgainstDifferentContexts() throws Exception {
    assertThat(resolver.resolveString("${var.x}", map("var", map("x", 1L)))).isEqualTo(1L);
    assertThat(resolver.resolveString("${var.x}", map("var", map("x", 2L)))).isEqualTo(2L);
  }

  @Test
  void referencesListsStaticPathsAndStopsAtComputedKeys() {
    Object tree =
        map(
            "image", "${actions.build.api.outputs.deploymentImageId}",
            "env",
                list(
                    "${var.byEnv[environment.name]}",
                    "${var[\"quoted\"][0]} and ${upper(local.env.HOME)}"),
            "block", "${if var.enabled}x${endif}",
            "literal", "no template",
            "broken", "${var.a +}",
            "escaped", "$${not.a.reference}");
    Set<List<String>> refs = resolver.references(tree);
    assertThat(refs)
        .containsExactlyInAnyOrder(
            List.of("actions", "build", "api", "outputs", "deploymentImageId"),
            List.of("var", "byEnv"),
            List.of("environment", "name"),
            List.of("var", "quoted", "0"),
            List.of("local", "env", "HOME"),
            List.of("var", "enabled"));
  }
}
