package dev.grove.orchestrator.config;

import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.provider.Provider;
import dev.grove.actions.spi.ActionType;
import dev.grove.actions.spi.ActionTypeRegistry;
import dev.grove.api.action.ActionKind;
import dev.grove.api.action.ActionRef;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.error.Problem;
import dev.grove.api.project.ProjectFiles;
import dev.grove.api.project.UserFiles;
import dev.grove.api.value.ValueTrees;
import dev.grove.orchestrator.config.modules.ModuleConversion;
import dev.grove.orchestrator.error.ConfigException;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.files.FileEntry;
import dev.grove.orchestrator.files.FileHashCache;
import dev.grove.orchestrator.files.FileScanner;
import dev.grove.orchestrator.files.ScanResult;
import dev.grove.orchestrator.graph.ActionGraph;
import dev.grove.orchestrator.template.TemplateResolver;
import dev.grove.orchestrator.template.TemplateValues;
import dev.grove.orchestrator.version.VersionCalculator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads one project root: discovers its config files, resolves the project for an environment,
 * parses actions, builds the graph and resolves specs and versions in graph order. It keeps what
 * does not change between loads (parsed files by stamp, file hashes), so a reload after an edit
 * only redoes what it must. Not thread-safe: callers serialize loads of one root.
 */
public final class ProjectLoader {
  public static final List<String> PROJECT_FILES =
      List.of("project.garden.yml", "project.garden.yaml");

  private final Path root;
  private final TemplateResolver templates;
  private final ActionTypeRegistry types;
  private final FileHashCache hashes = new FileHashCache();
  private final Map<String, CachedFile> parsed = new ConcurrentHashMap<>();

  private record CachedFile(long size, long modified, YamlLoader.Result result) {}

  /**
   * What one load produced, with what a cache needs to tell whether it is still current.
   *
   * @param envKeys the environment variables the config reads ({@code ${local.env.X}}); null when
   *     it reads the environment as a whole, so every variable counts
   */
  public record Snapshot(LoadedProject project, ScanResult scan, Set<String> envKeys) {

    /** True when {@code options} would resolve this project the same way. */
    public boolean resolvesAlike(LoadOptions last, LoadOptions options) {
      if (!Objects.equals(last.environment(), options.environment())
          || !last.vars().equals(options.vars())) {
        return false;
      }
      if (envKeys == null) {
        return last.env().equals(options.env());
      }
      for (String key : envKeys) {
        if (!Objects.equals(last.env().get(key), options.env().get(key))) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * @param types the action types the project's actions may have
   */
  public ProjectLoader(Path root, TemplateResolver templates, ActionTypeRegistry types) {
    this.root = root.toAbsolutePath().normalize();
    this.templates = templates;
    this.types = types;
  }

  public Path root() {
    return root;
  }

  /** How many times a source file's content was read for hashing (an unchanged file is not). */
  public long hashReads() {
    return hashes.reads();
  }

  /** The project file of a root, if it has one. */
  public static Optional<Path> projectFile(Path root) {
    return ProjectFiles.find(root);
  }

  /** True for the names Garden reads configs from. */
  public static boolean isConfigFile(String name) {
    return name.equals("garden.yml")
        || name.equals("garden.yaml")
        || name.endsWith(".garden.yml")
        || name.endsWith(".garden.yaml");
  }

  /** The names of the ignore files that apply, given the project's {@code dotIgnoreFile}. */
  public static List<String> ignoreFiles(String dotIgnoreFile) {
    return dotIgnoreFile.equals(".gitignore")
        ? List.of(".gitignore")
        : List.of(dotIgnoreFile, ".gitignore");
  }

  /**
   * The scan {@code previous} would be after these paths changed, looking at them only; empty when
   * an ignore file changed or a path cannot be read (then {@link #scan(String)}).
   */
  public Optional<ScanResult> rescan(
      ScanResult previous, java.util.Set<String> changed, String dotIgnoreFile) {
    try {
      return FileScanner.update(root, previous, changed, ignoreFiles(dotIgnoreFile));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Scans the root's files (stamps only, no reads) with the ignore files of the project. */
  public ScanResult scan(String dotIgnoreFile) {
    try {
      return FileScanner.scan(root, ignoreFiles(dotIgnoreFile));
    } catch (IOException e) {
      throw new GroveException(
          ErrorCodes.PROJECT_NOT_FOUND,
          "Cannot read the project folder "
              + root
              + ": "
              + (e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : e.getMessage()),
          "Check that the folder exists and that the user running Grove may read it.");
    }
  }

  /** The {@code dotIgnoreFile} the project file names (cheap: the file is cached by stamp). */
  public String dotIgnoreFile() {
    ConfigDocument doc = projectDocument(new Diagnostics());
    if (doc == null) {
      return ".gardenignore";
    }
    Object value = doc.content().get("dotIgnoreFile");
    return value instanceof String text ? text : ".gardenignore";
  }

  /** Loads the project; throws {@link ConfigException} with every problem found. */
  public Snapshot load(LoadOptions options) {
    return load(options, null, null);
  }

  /**
   * As {@link #load(LoadOptions)}, on a scan the caller just made with the ignore files of {@code
   * scannedWith} (the tree is walked again when the project names other ones).
   */
  public Snapshot load(LoadOptions options, ScanResult scanned, String scannedWith) {
    Diagnostics diagnostics = new Diagnostics();
    ConfigDocument projectDoc = projectDocument(diagnostics);
    if (projectDoc == null) {
      throw diagnostics.failure();
    }
    Templating templating = new Templating(templates);
    ProjectConfig project =
        new ProjectResolver(templating).resolve(root, projectDoc, options, diagnostics);
    if (project == null) {
      throw diagnostics.failure();
    }
    ScanResult scan =
        scanned != null && project.dotIgnoreFile().equals(scannedWith)
            ? scanned
            : scan(project.dotIgnoreFile());
    reportNonFiles(scan, ignoreFiles(project.dotIgnoreFile()), diagnostics);
    List<ConfigDocument> documents = configDocuments(scan, projectDoc, diagnostics);

    Map<String, Object> baseContext = TemplateContexts.project(root, project.name(), options.env());
    baseContext.put(
        "environment", TemplateContexts.environment(project.environment(), project.namespace()));
    RemoteSources remote = RemoteSources.of(root, options, ignoreFiles(project.dotIgnoreFile()));
    documents.addAll(
        remote.projectDocuments(
            projectDoc,
            templating,
            TemplateContexts.withVariables(baseContext, project.variables()),
            diagnostics));
    // Templates render actions, Modules and Workflows; Modules become the actions Garden converts
    // them to; Workflows and Commands are kept aside.
    List<ConfigDocument> rendered =
        new ArrayList<>(
            new ModuleConversion(types, project.registry())
                .convert(
                    new TemplateExpansion(templating, project, baseContext)
                        .expand(documents, diagnostics),
                    diagnostics::error,
                    diagnostics::warning));
    ProjectCommands commands = ProjectCommands.takeFrom(rendered, project, diagnostics);
    ParsedActions parsed =
        parseActions(
            rendered,
            new ActionParser(templating, project, options, baseContext, types)
                .remoteSources(remote),
            diagnostics);
    GardenRules.apiVersion(projectDoc, parsed.actions().values(), diagnostics);
    Map<ActionRef, Set<ActionRef>> edges = edges(parsed, diagnostics);
    diagnostics.throwIfErrors();
    ActionGraph graph = graph(parsed.actions(), edges, diagnostics);
    ScanResult withClones = remote.withClones(scan);
    Map<ActionRef, LoadedProject.ResolvedAction> resolved =
        resolveSpecs(
            graph, parsed.actions(), project, baseContext, withClones, templating, diagnostics);
    diagnostics.throwIfErrors();

    hashes.retainOnly(root, withClones.entries());
    Set<String> envKeys = new TreeSet<>();
    envKeysRead(projectDoc, envKeys);
    for (ConfigDocument doc : documents) {
      envKeysRead(doc, envKeys);
    }
    return new Snapshot(
        new LoadedProject(project, resolved, graph, diagnostics.warnings(), commands),
        scan,
        envKeys.contains(ALL_ENV) ? null : Set.copyOf(envKeys));
  }

  /** Every document of every config file but the project's own. */
  private List<ConfigDocument> configDocuments(
      ScanResult scan, ConfigDocument projectDoc, Diagnostics diagnostics) {
    List<ConfigDocument> documents = new ArrayList<>();
    Path projectPath = projectDoc.file();
    for (FileEntry entry : scan.entries()) {
      String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
      if (!isConfigFile(name)) {
        continue;
      }
      YamlLoader.Result result = parse(entry);
      diagnostics.errors(result.problems());
      for (ConfigDocument doc : result.documents()) {
        if (!(doc.file().equals(projectPath) && doc.index() == projectDoc.index())) {
          documents.add(doc);
        }
      }
    }
    return documents;
  }

  /**
   * The actions the documents define.
   *
   * @param rejected actions whose own errors were reported: what depends on them is not reported
   *     again
   */
  private record ParsedActions(Map<ActionRef, ActionConfig> actions, Set<ActionRef> rejected) {}

  private ParsedActions parseActions(
      List<ConfigDocument> documents, ActionParser parser, Diagnostics diagnostics) {
    Map<ActionRef, ActionConfig> actions = new TreeMap<>();
    Map<ActionRef, ConfigDocument> firstDefined = new HashMap<>();
    Set<ActionRef> rejected = new HashSet<>();
    for (ConfigDocument doc : documents) {
      Object kindValue = doc.content().get("kind");
      Optional<ActionKind> kind =
          kindValue instanceof String text && Character.isUpperCase(text.charAt(0))
              ? ActionKind.parse(text)
              : Optional.empty();
      if (kind.isEmpty()) {
        reportKind(doc, kindValue, diagnostics);
        continue;
      }
      ActionConfig action = parser.parse(doc, kind.get(), diagnostics);
      if (action == null) {
        rejectedRef(doc, kind.get()).ifPresent(rejected::add);
        continue;
      }
      ConfigDocument previous = firstDefined.putIfAbsent(action.ref(), doc);
      if (previous != null) {
        int[] at = previous.locations().find("name");
        diagnostics.error(
            doc,
            "name",
            ConfigCodes.DUPLICATE_ACTION,
            "Action "
                + action.ref()
                + " is defined twice: here and at "
                + previous.displayFile()
                + ":"
                + at[0]
                + ".",
            "Rename one of them; names are unique per kind.");
        continue;
      }
      actions.put(action.ref(), action);
    }
    return new ParsedActions(actions, rejected);
  }

  /**
   * Each action's dependencies: explicit ones (also on disabled actions), its build, and references
   * in its spec and variables.
   */
  private Map<ActionRef, Set<ActionRef>> edges(ParsedActions parsed, Diagnostics diagnostics) {
    Map<ActionRef, ActionConfig> actions = parsed.actions();
    Map<ActionRef, Set<ActionRef>> edges = new HashMap<>();
    List<String> known = actions.keySet().stream().map(ActionRef::toString).toList();
    for (ActionConfig action : actions.values()) {
      Set<ActionRef> deps = new TreeSet<>();
      for (ActionConfig.Dependency dep : action.explicitDependencies()) {
        ActionConfig target = actions.get(dep.ref());
        if (target == null) {
          if (!parsed.rejected().contains(dep.ref())) {
            diagnostics.error(missing(action, dep.ref(), dep.path(), known));
          }
        } else {
          // Kept when the target is disabled, as Garden's graph keeps it; a run skips it then.
          deps.add(dep.ref());
        }
      }
      for (List<String> reference : actionReferences(action)) {
        if (reference.size() >= 3) {
          Optional<ActionKind> kind = ActionKind.parse(reference.get(1));
          if (kind.isEmpty() || kind.get().refPrefix().equals(reference.get(1)) == false) {
            diagnostics.error(
                action.document(),
                "spec",
                ConfigCodes.TEMPLATE_ERROR,
                "`actions." + reference.get(1) + "` is not an action kind.",
                "Reference actions as actions.build.NAME, actions.deploy.NAME,"
                    + " actions.run.NAME or actions.test.NAME.");
            continue;
          }
          ActionRef ref = ActionRef.of(kind.get(), reference.get(2));
          if (!actions.containsKey(ref)) {
            if (!parsed.rejected().contains(ref)) {
              diagnostics.error(missing(action, ref, "spec", known));
            }
          } else {
            deps.add(ref);
          }
        }
      }
      edges.put(action.ref(), deps);
    }
    return edges;
  }

  /** The graph of the actions; throws with every problem so far when it has a cycle. */
  private static ActionGraph graph(
      Map<ActionRef, ActionConfig> actions,
      Map<ActionRef, Set<ActionRef>> edges,
      Diagnostics diagnostics) {
    ActionGraph.Result built = ActionGraph.build(actions.keySet(), edges);
    if (built.graph() != null) {
      return built.graph();
    }
    // Point at the dependency that closes the loop: the last edge of the path.
    List<ActionRef> cycle = built.cycle();
    ActionConfig closing = actions.get(cycle.get(cycle.size() - 2));
    ActionRef target = cycle.get(cycle.size() - 1);
    String where =
        closing.explicitDependencies().stream()
            .filter(dep -> dep.ref().equals(target))
            .map(ActionConfig.Dependency::path)
            .findFirst()
            .orElse("spec");
    diagnostics.error(
        closing.document(),
        where,
        ConfigCodes.DEPENDENCY_CYCLE,
        "Dependency cycle: " + built.describeCycle(),
        "Remove one of these dependencies (explicit, `build`, or a ${actions...}"
            + " reference in spec) to break the cycle.");
    throw diagnostics.failure();
  }

  /**
   * Specs and versions, in graph order: each spec sees the outputs and versions of the actions
   * before it. An action whose spec fails (or whose dependency's did) is left out.
   */
  private Map<ActionRef, LoadedProject.ResolvedAction> resolveSpecs(
      ActionGraph graph,
      Map<ActionRef, ActionConfig> actions,
      ProjectConfig project,
      Map<String, Object> baseContext,
      ScanResult scan,
      Templating templating,
      Diagnostics diagnostics) {
    VersionCalculator versions = new VersionCalculator(root, hashes);
    Map<String, Object> actionsContext = new LinkedHashMap<>();
    for (ActionKind kind : ActionKind.values()) {
      actionsContext.put(kind.refPrefix(), new LinkedHashMap<String, Object>());
    }
    Map<String, Object> providersContext = providersContext(project);
    Optional<ImageRegistry> registry = project.registry();
    Map<ActionRef, LoadedProject.ResolvedAction> resolved = new LinkedHashMap<>();
    Set<ActionRef> failed = new HashSet<>();
    for (ActionRef ref : graph.topologicalOrder()) {
      ActionConfig action = actions.get(ref);
      Set<ActionRef> deps = graph.dependencies(ref);
      if (deps.stream().anyMatch(failed::contains)) {
        failed.add(ref);
        continue;
      }
      Map<String, Object> context = TemplateContexts.withVariables(baseContext, action.variables());
      context.put("this", new LinkedHashMap<>(Map.of("name", ref.name(), "mode", "default")));
      context.put("inputs", new LinkedHashMap<String, Object>());
      context.put("providers", providersContext);
      context.put("actions", actionsContext);
      int mark = diagnostics.mark();
      if (referencesActions(action.variables())) {
        Object vars =
            templating.resolveOrNull(
                action.document(), "variables", action.variables(), context, diagnostics, null);
        if (!(vars instanceof Map<?, ?> resolvedVars)) {
          failed.add(ref);
          continue;
        }
        context = TemplateContexts.withVariables(context, ValueTrees.map(resolvedVars));
      }
      Object spec =
          templating.resolveOrNull(
              action.document(), "spec", action.spec(), context, diagnostics, null);
      if (diagnostics.errorsSince(mark)) {
        failed.add(ref);
        continue;
      }
      Map<String, Object> specMap = spec instanceof Map<?, ?> map ? ValueTrees.map(map) : Map.of();
      GardenRules.execEnv(action, specMap, diagnostics);
      Optional<String> buildDir =
          Optional.ofNullable(action.build())
              .map(name -> actions.get(ActionRef.of(ActionKind.BUILD, name)))
              .map(ActionConfig::sourceDir);
      List<FileEntry> sources = versions.sources(sourceSelection(action, specMap, buildDir), scan);
      TreeMap<String, String> depVersions = new TreeMap<>();
      List<String> excludedDeps = action.versionSettings().excludeDependencies();
      deps.stream()
          .filter(dep -> !excludedDeps.contains(dep.toString()))
          .forEach(dep -> depVersions.put(dep.toString(), resolved.get(dep).version()));
      String version =
          versions.version(
              versionedConfig(action, specMap),
              action.versionSettings().excludeValues(),
              sources,
              depVersions);
      resolved.put(
          ref, new LoadedProject.ResolvedAction(action, specMap, deps, sources, version, context));
      ValueTrees.map((Map<?, ?>) actionsContext.get(ref.kind().refPrefix()))
          .put(ref.name(), actionsEntry(action, specMap, version, buildDir, registry));
    }
    return resolved;
  }

  /** The {@code ${actions...}} references of an action's spec and variables. */
  private List<List<String>> actionReferences(ActionConfig action) {
    List<List<String>> references = new ArrayList<>();
    for (Object tree : List.of(action.spec(), action.variables())) {
      for (List<String> reference : templates.references(tree)) {
        if (reference.get(0).equals("actions")) {
          references.add(reference);
        }
      }
    }
    return references;
  }

  private boolean referencesActions(Map<String, Object> variables) {
    return templates.references(variables).stream().anyMatch(r -> r.get(0).equals("actions"));
  }

  /** What {@code ${actions.KIND.NAME.*}} gives in the specs of the actions after it. */
  private Map<String, Object> actionsEntry(
      ActionConfig action,
      Map<String, Object> spec,
      String version,
      Optional<String> buildDir,
      Optional<ImageRegistry> registry) {
    ActionRef ref = action.ref();
    Map<String, Object> outputs =
        new LinkedHashMap<>(
            action
                .handler()
                .staticOutputs(new ActionType.OutputContext(ref.name(), spec, version, registry)));
    action.handler().runtimeOutputs().forEach(key -> outputs.put(key, TemplateValues.DEFERRED));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", ref.name());
    entry.put("disabled", action.disabled());
    entry.put("buildPath", root.resolve(buildDir.orElse(action.sourceDir())).toString());
    entry.put("sourcePath", root.resolve(action.sourceDir()).toString());
    entry.put("mode", "default");
    entry.put("var", action.variables());
    entry.put("outputs", outputs);
    entry.put("version", version);
    return entry;
  }

  private static final String ALL_ENV = "\0all";

  /** Adds the {@code local.env} keys a document's templates read ({@link #ALL_ENV} for all). */
  private void envKeysRead(ConfigDocument doc, Set<String> keys) {
    for (List<String> reference : templates.references(doc.content())) {
      if (reference.size() >= 2
          && reference.get(0).equals("local")
          && reference.get(1).equals("env")) {
        keys.add(reference.size() >= 3 ? reference.get(2) : ALL_ENV);
      }
    }
  }

  /**
   * Which files count for the action's version, as Garden counts them: the source path's files
   * after include/exclude and ignore files; without include, the type's default includes (a
   * kubernetes Deploy's manifests), or none for a Deploy with {@code build} and no exclude.
   */
  private static VersionCalculator.SourceSelection sourceSelection(
      ActionConfig action, Map<String, Object> spec, Optional<String> buildDir) {
    Optional<List<String>> includes;
    String includeBase = action.sourceDir();
    if (action.include() != null) {
      includes = Optional.of(action.include());
    } else {
      Optional<List<String>> defaults = action.handler().defaultIncludes(spec);
      if (defaults.isPresent()) {
        includes = defaults;
        includeBase = buildDir.orElse(action.sourceDir());
      } else if (action.ref().kind() != ActionKind.BUILD
          && action.build() != null
          && action.exclude().isEmpty()) {
        includes = Optional.of(List.of());
      } else {
        includes = Optional.empty();
      }
    }
    List<String> excludes = new ArrayList<>(action.exclude());
    excludes.addAll(action.versionSettings().excludeFiles());
    return new VersionCalculator.SourceSelection(
        action.sourceDir(), includes, includeBase, excludes, action.configFile());
  }

  /** The config that counts for the version: not description, variables, include, ... */
  private static Map<String, Object> versionedConfig(
      ActionConfig action, Map<String, Object> spec) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("kind", action.ref().kind().displayName());
    config.put("type", action.type());
    config.put("name", action.ref().name());
    config.put("build", action.build());
    config.put(
        "dependencies",
        action.explicitDependencies().stream().map(d -> d.ref().toString()).sorted().toList());
    config.put("timeout", action.timeout());
    config.put("spec", ValueTrees.copy(spec));
    for (String field : action.versionSettings().excludeFields()) {
      removePath(config, field);
    }
    return config;
  }

  private static void removePath(Map<String, Object> map, String dotted) {
    String[] parts = dotted.split("\\.");
    Object current = map;
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(current instanceof Map<?, ?> m)) {
        return;
      }
      current = m.get(parts[i]);
    }
    if (current instanceof Map<?, ?> m) {
      ValueTrees.map(m).remove(parts[parts.length - 1]);
    }
  }

  /** The ref a rejected action document meant, when its name is a plain string. */
  private static Optional<ActionRef> rejectedRef(ConfigDocument doc, ActionKind kind) {
    return doc.content().get("name") instanceof String name && !name.contains("${")
        ? Optional.of(ActionRef.of(kind, name))
        : Optional.empty();
  }

  private static Map<String, Object> providersContext(ProjectConfig project) {
    Map<String, Object> providers = new LinkedHashMap<>();
    for (Provider provider : project.providers()) {
      providers.put(
          provider.name(),
          ProviderResolver.contextEntry(provider, project.name() + "-" + project.namespace()));
    }
    return providers;
  }

  private Problem missing(ActionConfig action, ActionRef ref, String path, List<String> known) {
    List<String> sameKind =
        known.stream().filter(k -> k.startsWith(ref.kind().refPrefix() + ".")).toList();
    return Problems.at(
        action.document(),
        path,
        ConfigCodes.MISSING_DEPENDENCY,
        action.ref() + " depends on " + ref + ", which is not defined in the project.",
        Problems.closest(ref.toString(), known)
            .map(match -> "Did you mean `" + match + "`?")
            .orElse(
                sameKind.isEmpty()
                    ? "Define a " + ref.kind().displayName() + " action named `" + ref.name() + "`."
                    : "Defined "
                        + ref.kind().displayName()
                        + " actions: "
                        + String.join(", ", sameKind)
                        + "."));
  }

  private void reportKind(ConfigDocument doc, Object kindValue, Diagnostics diagnostics) {
    List<String> kinds = List.of("Project", "Build", "Deploy", "Run", "Test");
    if (kindValue == null) {
      diagnostics.error(
          doc,
          "kind",
          ConfigCodes.MISSING_KIND,
          "Document " + (doc.index() + 1) + " of " + doc.displayFile() + " has no `kind`.",
          "Add `kind:` with one of: " + String.join(", ", kinds) + ".");
    } else if (kindValue.equals("Project")) {
      diagnostics.error(
          doc,
          "kind",
          ConfigCodes.EXTRA_PROJECT,
          "Only the project file (project.garden.yml at the root) may hold the Project.",
          "Move this Project into " + PROJECT_FILES.get(0) + " or remove it.");
    } else {
      diagnostics.error(
          doc,
          "kind",
          ConfigCodes.UNKNOWN_KIND,
          "Unknown kind `" + kindValue + "`.",
          Problems.didYouMean(String.valueOf(kindValue), kinds, "kinds"));
    }
  }

  private ConfigDocument projectDocument(Diagnostics diagnostics) {
    Optional<Path> file = projectFile(root);
    if (file.isEmpty()) {
      throw new GroveException(
          ErrorCodes.PROJECT_NOT_FOUND,
          "No project.garden.yml in " + root + ".",
          "Run grove from a folder inside a Garden project, or pass --root DIR.");
    }
    String display = root.relativize(file.get()).toString();
    YamlLoader.Result result;
    try {
      var attrs =
          Files.readAttributes(file.get(), java.nio.file.attribute.BasicFileAttributes.class);
      result =
          parse(
              new FileEntry(
                  display,
                  attrs.size(),
                  attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
    } catch (IOException e) {
      result = YamlLoader.load(file.get(), display);
    }
    diagnostics.errors(result.problems());
    ConfigDocument found = null;
    for (ConfigDocument doc : result.documents()) {
      if ("Project".equals(doc.content().get("kind"))) {
        found = doc;
        break;
      }
    }
    if (found == null && result.problems().isEmpty()) {
      diagnostics.error(
          Problems.at(
              ConfigCodes.MISSING_PROJECT,
              display + " has no document with `kind: Project`.",
              "Add `kind: Project` and `name:` to it.",
              display,
              1,
              1,
              null));
    }
    return found;
  }

  /**
   * What the scan saw but could not list as a file, where it matters: a folder, FIFO or device
   * named like a config file, a folder or ignore file that could not be read (its files would be
   * left out without a word).
   */
  private void reportNonFiles(
      ScanResult scan, List<String> ignoreFileNames, Diagnostics diagnostics) {
    for (ScanResult.NonFile nonFile : scan.nonFiles()) {
      String path = nonFile.path();
      String name = path.substring(path.lastIndexOf('/') + 1);
      switch (nonFile.kind()) {
        case FOLDER -> {
          if (isConfigFile(name)) {
            diagnostics.error(
                Problems.at(
                    ConfigCodes.CONFIG_UNREADABLE,
                    path + " is a folder, not a config file.",
                    "Grove reads every garden.yml and *.garden.yml as a config file: rename the"
                        + " folder, or list it in the project's ignore file.",
                    path,
                    0,
                    0,
                    null));
          }
        }
        case SPECIAL -> {
          if (isConfigFile(name)) {
            try {
              UserFiles.checkRegular(root.resolve(path)); // a stat, never an open
            } catch (UserFiles.UnreadableException e) {
              diagnostics.error(YamlLoader.unreadable(e, path));
            }
          }
        }
        case UNREADABLE -> {
          boolean ignoreFile = ignoreFileNames.contains(name);
          diagnostics.error(
              Problems.at(
                  ConfigCodes.CONFIG_UNREADABLE,
                  (ignoreFile ? "Cannot read " : "Cannot read the folder ")
                      + path
                      + ": "
                      + nonFile.detail(),
                  ignoreFile
                      ? "Give the user running Grove read access to it (chmod/chown), or remove"
                          + " it."
                      : "Give the user running Grove read access to it (chmod/chown), or list it"
                          + " in "
                          + ignoreFileNames.get(0)
                          + " so Grove does not look into it.",
                  path,
                  0,
                  0,
                  null));
        }
        default -> throw new IllegalStateException("unknown kind " + nonFile.kind());
      }
    }
  }

  private YamlLoader.Result parse(FileEntry entry) {
    CachedFile cached = parsed.get(entry.path());
    if (cached != null
        && cached.size() == entry.size()
        && cached.modified() == entry.modifiedNanos()) {
      return cached.result();
    }
    YamlLoader.Result result = YamlLoader.load(root.resolve(entry.path()), entry.path());
    if (result.problems().stream().noneMatch(p -> p.code().equals(ConfigCodes.CONFIG_UNREADABLE))) {
      // A file that could not be read may be readable next time without its stamp changing
      // (permissions, or what a symbolic link names): read it again then.
      parsed.put(entry.path(), new CachedFile(entry.size(), entry.modifiedNanos(), result));
    }
    return result;
  }
}
