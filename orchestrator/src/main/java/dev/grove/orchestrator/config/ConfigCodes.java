package dev.grove.orchestrator.config;

/**
 * Every stable code of a config problem or warning: each reaches users as a {@code problems[]} or
 * {@code warnings[]} entry of a {@code CONFIG_INVALID} answer or a project summary (docs/API.md).
 * The one place for the orchestrator's codes; e2e's CodeLiteralsTest fails on a code literal
 * anywhere else in the module. The daemon's own answer codes are api's {@code ErrorCodes}.
 */
public final class ConfigCodes {

  // -- reading files

  /** A config file (or folder) cannot be read. */
  public static final String CONFIG_UNREADABLE = "CONFIG_UNREADABLE";

  /** A document of a config file is not a map. */
  public static final String CONFIG_NOT_A_MAP = "CONFIG_NOT_A_MAP";

  /** A config file is not valid YAML. */
  public static final String YAML_SYNTAX = "YAML_SYNTAX";

  /** A config file nests too deep or has too many aliases to load safely. */
  public static final String YAML_TOO_LARGE = "YAML_TOO_LARGE";

  /** A key is not a plain string. */
  public static final String YAML_KEY = "YAML_KEY";

  /** A map has the same key twice. */
  public static final String YAML_DUPLICATE_KEY = "YAML_DUPLICATE_KEY";

  // -- documents and the project

  /** A config file has no document with {@code kind: Project}. */
  public static final String MISSING_PROJECT = "MISSING_PROJECT";

  /** A Project document outside the project file. */
  public static final String EXTRA_PROJECT = "EXTRA_PROJECT";

  /** A document has no {@code kind}. */
  public static final String MISSING_KIND = "MISSING_KIND";

  /** A document's {@code kind} is neither Grove's nor one of Garden's. */
  public static final String UNKNOWN_KIND = "UNKNOWN_KIND";

  /** The project or an action has no valid {@code name}. */
  public static final String INVALID_NAME = "INVALID_NAME";

  /** A field has a value of the wrong shape (a list where a map belongs, not a number, ...). */
  public static final String INVALID_FIELD = "INVALID_FIELD";

  /** A field that the kind or type does not have. */
  public static final String UNKNOWN_FIELD = "UNKNOWN_FIELD";

  /** A template expression ({@code ${...}}) cannot be resolved. */
  public static final String TEMPLATE_ERROR = "TEMPLATE_ERROR";

  // -- environments, providers and variables

  /** The project defines no environments. */
  public static final String NO_ENVIRONMENTS = "NO_ENVIRONMENTS";

  /** {@code --env} is not {@code ENVIRONMENT} or {@code NAMESPACE.ENVIRONMENT}. */
  public static final String INVALID_ENVIRONMENT = "INVALID_ENVIRONMENT";

  /** An environment is named (by {@code --env} or an action) that the project does not define. */
  public static final String UNKNOWN_ENVIRONMENT = "UNKNOWN_ENVIRONMENT";

  /** The exec provider's {@code initScript} failed or did not end in time. */
  public static final String INIT_SCRIPT_FAILED = "INIT_SCRIPT_FAILED";

  /** A warning: config Grove loads but Garden 0.13 rejects (the message cites Garden's rule). */
  public static final String GARDEN_REJECTS = "GARDEN_REJECTS";

  /** A provider Grove does not know: a warning, the provider is ignored. */
  public static final String UNKNOWN_PROVIDER = "UNKNOWN_PROVIDER";

  /** A varfile that does not exist. */
  public static final String VARFILE_NOT_FOUND = "VARFILE_NOT_FOUND";

  /** A varfile that cannot be read or parsed. */
  public static final String VARFILE_INVALID = "VARFILE_INVALID";

  // -- actions and the graph

  /** An action has no {@code type}. */
  public static final String MISSING_TYPE = "MISSING_TYPE";

  /** An action's {@code type} is not one Grove knows for its kind. */
  public static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";

  /** Two actions have the same kind and name. */
  public static final String DUPLICATE_ACTION = "DUPLICATE_ACTION";

  /** A {@code dependencies} entry is not an action reference. */
  public static final String INVALID_DEPENDENCY = "INVALID_DEPENDENCY";

  /** An action depends on an action the project does not define. */
  public static final String MISSING_DEPENDENCY = "MISSING_DEPENDENCY";

  /** The actions' dependencies form a cycle. */
  public static final String DEPENDENCY_CYCLE = "DEPENDENCY_CYCLE";

  /** An action's {@code source.path} is not a folder. */
  public static final String SOURCE_NOT_FOUND = "SOURCE_NOT_FOUND";

  /** An action's {@code source.path} is outside the project. */
  public static final String SOURCE_OUTSIDE_PROJECT = "SOURCE_OUTSIDE_PROJECT";

  /** A RenderTemplate (or templated Module) names a ConfigTemplate that is not defined. */
  public static final String UNKNOWN_TEMPLATE = "UNKNOWN_TEMPLATE";

  /** A RenderTemplate's {@code inputs} do not match its template's inputs schema. */
  public static final String INVALID_INPUTS = "INVALID_INPUTS";

  /** A ConfigTemplate's {@code inputsSchemaPath} cannot be read or is not an object schema. */
  public static final String INVALID_INPUTS_SCHEMA = "INVALID_INPUTS_SCHEMA";

  /** Two ConfigTemplates (or ModuleTemplates) have the same name. */
  public static final String DUPLICATE_TEMPLATE = "DUPLICATE_TEMPLATE";

  /** A remote source (project {@code sources}) could not be cloned: URL, ref or network. */
  public static final String REMOTE_SOURCE_FAILED = "REMOTE_SOURCE_FAILED";

  // -- warnings

  /** A Garden kind Grove does not load yet (a Module, a Workflow, ...): the document is ignored. */
  public static final String GROVE_IGNORED_KIND = "GROVE_IGNORED_KIND";

  /** A field Grove accepts but does not act on yet: it is ignored. */
  public static final String GROVE_NOT_ACTED_ON = "GROVE_NOT_ACTED_ON";

  /** A Grove setting in a Garden file (where Garden rejects it): it belongs in grove.yml. */
  public static final String GROVE_SETTING_MOVED = "GROVE_SETTING_MOVED";

  // -- workflow and custom command runs

  /** A step failed: its program exited non-zero, or the Grove run it started did not succeed. */
  public static final String STEP_FAILED = "STEP_FAILED";

  private ConfigCodes() {}
}
