package dev.grove.orchestrator.workflow;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.spi.Cancellation;
import dev.grove.api.error.ErrorCodes;
import dev.grove.api.project.ProjectRequest;
import dev.grove.api.run.RunInfo;
import dev.grove.api.value.ValueTrees;
import dev.grove.api.workflow.CommandRequest;
import dev.grove.api.workflow.WorkflowRequest;
import dev.grove.api.workflow.WorkflowResult;
import dev.grove.orchestrator.config.ConfigDocument;
import dev.grove.orchestrator.config.CustomCommandConfig;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.config.ProjectCommands;
import dev.grove.orchestrator.config.WorkflowConfig;
import dev.grove.orchestrator.error.GroveException;
import dev.grove.orchestrator.error.Suggestions;
import dev.grove.orchestrator.project.ProjectService;
import dev.grove.orchestrator.solver.RunEvents;
import dev.grove.orchestrator.solver.Runs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's workflow and custom command runs ({@code grove workflow NAME}, {@code grove
 * run-command NAME}): resolves the config as Garden does when it runs it (errors before any run
 * exists), then runs its steps ({@link WorkflowExecution}); keeps the recent ones for their result
 * and cancel.
 */
public final class Workflows {
  static final String WORKFLOW = "workflow";
  static final String COMMAND = "command";
  private static final int KEPT = 100;

  /** How long one script or exec step may run before it is stopped. */
  public static final Duration STEP_TIMEOUT = Duration.ofHours(1);

  private final ProjectService projects;
  private final RunEvents events;
  private final StepRunners runners;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private record Entry(
      WorkflowExecution execution, String project, String command, long startedAt) {}

  public Workflows(ProjectService projects, Runs runs, RunEvents events) {
    this(projects, runs, events, new ProcessRunner(), workerPool(), STEP_TIMEOUT);
  }

  Workflows(
      ProjectService projects,
      Runs runs,
      RunEvents events,
      ProcessRunner processes,
      ExecutorService workers,
      Duration stepTimeout) {
    this.projects = projects;
    this.events = events;
    this.runners = new StepRunners(projects, runs, events, processes, workers, stepTimeout);
  }

  /** Starts the named workflow. Blocks for the load (call it on a worker). */
  public RunInfo start(WorkflowRequest request) {
    ProjectRequest projectRequest = checked(request.project());
    LoadedProject loaded = projects.load(projectRequest);
    Map<String, WorkflowConfig> workflows = loaded.commands().workflows();
    WorkflowConfig workflow = workflows.get(request.workflow());
    if (workflow == null) {
      throw notFound("workflow", request.workflow(), workflows.keySet(), "kind: Workflow");
    }
    String runId = newId(WORKFLOW);
    Map<String, String> env = projectRequest.env();
    Map<String, Object> context = ProjectCommands.context(loaded, env);
    ConfigDocument doc = workflow.document();
    Map<String, String> workflowEnv = envVars(doc, "envVars", workflow.envVars(), context);
    writeFiles(loaded.project().root(), doc, workflow.files(), context);
    Cancellation cancellation = new Cancellation();
    Path root = loaded.project().root();
    List<WorkflowExecution.Step> steps = new ArrayList<>();
    for (WorkflowConfig.Step step : workflow.steps()) {
      String path = step.path();
      boolean skip = bool(doc, path + ".skip", step.skip(), context);
      boolean continueOnError =
          bool(doc, path + ".continueOnError", step.continueOnError(), context);
      Object when =
          step.when() == null
              ? StepRules.ON_SUCCESS
              : ProjectCommands.resolve(doc, path + ".when", step.when(), context);
      Map<String, String> stepEnv = new LinkedHashMap<>(env);
      stepEnv.putAll(workflowEnv);
      stepEnv.putAll(envVars(doc, path + ".envVars", step.envVars(), context));
      String label = "step " + (step.index() + 1) + " (" + step.name() + ")";
      String stepRunId = runId + "." + (step.index() + 1);
      WorkflowExecution.Body body;
      if (step.command() == null && step.script() == null) {
        body =
            ignored -> {
              throw new GroveException(
                  ErrorCodes.BAD_REQUEST,
                  label + " has neither `command` nor `script`.",
                  "Give the step either command: [deploy] or script: (bash).");
            };
      } else if (step.command() == null) {
        body =
            stepContext -> {
              Object script =
                  ProjectCommands.resolve(doc, path + ".script", step.script(), stepContext);
              return runners.program(
                  runId,
                  label,
                  List.of("bash", "-c", String.valueOf(script)),
                  root,
                  stepEnv,
                  cancellation);
            };
      } else {
        body =
            stepContext ->
                runners.grove(
                    label,
                    words(
                        ProjectCommands.resolve(
                            doc, path + ".command", step.command(), stepContext)),
                    projectRequest,
                    stepRunId,
                    cancellation);
      }
      steps.add(
          new WorkflowExecution.Step(
              step.index(),
              step.name(),
              step.description(),
              String.valueOf(when),
              skip,
              continueOnError,
              body));
    }
    return start(runId, WORKFLOW, workflow.name(), loaded, steps, context, cancellation);
  }

  /** Starts the named custom command with its words. Blocks for the load (call it on a worker). */
  public RunInfo start(CommandRequest request) {
    ProjectRequest projectRequest = checked(request.project());
    LoadedProject loaded = projects.load(projectRequest);
    Map<String, CustomCommandConfig> commands = loaded.commands().commands();
    CustomCommandConfig command = commands.get(request.name());
    List<dev.grove.api.error.Problem> broken =
        loaded.commands().brokenCommands().get(request.name());
    if (command == null && broken != null) {
      throw new dev.grove.orchestrator.error.ConfigException(broken);
    }
    if (command == null) {
      throw notFound("command", request.name(), commands.keySet(), "kind: Command");
    }
    CommandArgs parsed = CommandArgs.parse(command, request.args());
    Map<String, String> env = projectRequest.env();
    ConfigDocument doc = command.document();
    Map<String, Object> context = new LinkedHashMap<>(ProjectCommands.context(loaded, env));
    context.put("args", parsed.args());
    context.put("opts", parsed.opts());
    if (command.variables() != null) {
      Object own = ProjectCommands.resolve(doc, "variables", command.variables(), context);
      Map<String, Object> vars =
          own instanceof Map<?, ?> map
              ? ValueTrees.mergePatch(loaded.project().variables(), ValueTrees.map(map))
              : loaded.project().variables();
      context.put("var", vars);
      context.put("variables", vars);
    }
    String runId = newId(COMMAND);
    Cancellation cancellation = new Cancellation();
    Path root = loaded.project().root();
    List<WorkflowExecution.Step> steps = new ArrayList<>();
    if (command.exec() != null) {
      Object exec = ProjectCommands.resolve(doc, "exec", command.exec(), context);
      Map<?, ?> execMap = exec instanceof Map<?, ?> map ? map : Map.of();
      List<String> argv = words(execMap.get("command"));
      if (argv.isEmpty()) {
        throw ProjectCommands.invalid(
            doc,
            "exec.command",
            "`exec.command` is empty.",
            "Write exec: {command: [sh, -c, \"...\"]}.");
      }
      Map<String, String> execEnv = new LinkedHashMap<>(env);
      execEnv.putAll(envVars(doc, "exec.env", execMap.get("env"), context));
      steps.add(
          new WorkflowExecution.Step(
              0,
              "exec",
              String.join(" ", argv),
              StepRules.ON_SUCCESS,
              false,
              false,
              ignored ->
                  runners.program(
                      runId,
                      "exec `" + String.join(" ", argv) + "`",
                      argv,
                      root,
                      execEnv,
                      cancellation)));
    }
    if (command.gardenCommand() != null) {
      List<String> words =
          words(ProjectCommands.resolve(doc, "gardenCommand", command.gardenCommand(), context));
      int index = steps.size();
      steps.add(
          new WorkflowExecution.Step(
              index,
              "gardenCommand",
              String.join(" ", words),
              StepRules.ON_SUCCESS,
              false,
              false,
              ignored ->
                  runners.grove(
                      "gardenCommand of " + command.name(),
                      words,
                      projectRequest,
                      runId + "." + (index + 1),
                      cancellation)));
    }
    return start(runId, COMMAND, command.name(), loaded, steps, context, cancellation);
  }

  private RunInfo start(
      String runId,
      String kind,
      String name,
      LoadedProject loaded,
      List<WorkflowExecution.Step> steps,
      Map<String, Object> context,
      Cancellation cancellation) {
    WorkflowExecution execution =
        new WorkflowExecution(
            runId, kind, name, loaded.project().name(), steps, context, events, cancellation);
    Entry entry =
        new Entry(
            execution, loaded.project().name(), kind + " " + name, System.currentTimeMillis());
    synchronized (entries) {
      entries.put(runId, entry);
      if (entries.size() > KEPT) {
        entries
            .entrySet()
            .removeIf(e -> e.getValue().execution().result().isDone() && entries.size() > KEPT);
      }
    }
    execution.start();
    return info(runId, entry);
  }

  /** The workflow run's result, once it finished. */
  public Optional<CompletableFuture<WorkflowResult>> result(String runId) {
    return entry(runId).map(entry -> entry.execution().result());
  }

  public Optional<RunInfo> get(String runId) {
    return entry(runId).map(entry -> info(runId, entry));
  }

  /** Cancels a workflow run: its running step's process or Grove run stops; false when unknown. */
  public boolean cancel(String runId) {
    Optional<Entry> entry = entry(runId);
    entry.ifPresent(e -> e.execution().cancel());
    return entry.isPresent();
  }

  private Optional<Entry> entry(String runId) {
    synchronized (entries) {
      return Optional.ofNullable(entries.get(runId));
    }
  }

  private static RunInfo info(String runId, Entry entry) {
    boolean done = entry.execution().result().isDone();
    return new RunInfo(
        runId,
        entry.project(),
        entry.command(),
        done ? "finished" : "running",
        entry.startedAt(),
        null,
        null);
  }

  private static ProjectRequest checked(ProjectRequest project) {
    if (project == null) {
      throw new GroveException(
          ErrorCodes.BAD_REQUEST, "The request has no project.", "Send {project: {...}}.");
    }
    return project;
  }

  private static GroveException notFound(
      String what, String name, java.util.Set<String> known, String kind) {
    List<String> names = List.copyOf(new TreeSet<>(known));
    String suggestion =
        Suggestions.closest(String.valueOf(name), names)
            .map(match -> "Did you mean `" + match + "`?")
            .orElse(
                names.isEmpty()
                    ? "The project defines no " + what + "s: add a document with `" + kind + "`."
                    : "The project's " + what + "s: " + String.join(", ", names) + ".");
    return new GroveException(
        ErrorCodes.BAD_REQUEST, "The project has no " + what + " `" + name + "`.", suggestion);
  }

  private static boolean bool(
      ConfigDocument doc, String path, Object raw, Map<String, Object> context) {
    if (raw == null) {
      return false;
    }
    Object value = ProjectCommands.resolve(doc, path, raw, context);
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw ProjectCommands.invalid(
        doc,
        path,
        "`" + path + "` is " + ValueTrees.describe(value) + ", not true or false.",
        "Make it resolve to true or false.");
  }

  private static Map<String, String> envVars(
      ConfigDocument doc, String path, Object raw, Map<String, Object> context) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    Object value = ProjectCommands.resolve(doc, path, raw, context);
    if (!(value instanceof Map<?, ?> map)) {
      throw ProjectCommands.invalid(
          doc,
          path,
          "`" + path + "` is " + ValueTrees.describe(value) + ", not a map.",
          "Write " + path + ": {NAME: value}.");
    }
    map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    return out;
  }

  /** A resolved command: its words as strings, empty ones left out (as Garden filters them). */
  private static List<String> words(Object value) {
    List<String> words = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item != null && !String.valueOf(item).isEmpty()) {
          words.add(String.valueOf(item));
        }
      }
    }
    return words;
  }

  /** Writes the workflow's {@code files} (Garden writes them before the first step). */
  private static void writeFiles(
      Path root, ConfigDocument doc, List<Object> files, Map<String, Object> context) {
    for (int i = 0; i < files.size(); i++) {
      String path = "files[" + i + "]";
      Object resolved = ProjectCommands.resolve(doc, path, files.get(i), context);
      if (!(resolved instanceof Map<?, ?> file)) {
        continue;
      }
      if (file.get("data") == null) {
        throw ProjectCommands.invalid(
            doc,
            path + ".secretName",
            "`secretName` reads a Garden Cloud secret; Grove has no Garden Cloud.",
            "Give the file's content as `data` (e.g. from ${local.env.NAME}).");
      }
      String relative = String.valueOf(file.get("path"));
      Path target = root.resolve(relative).normalize();
      if (!target.startsWith(root) || target.equals(root)) {
        throw ProjectCommands.invalid(
            doc,
            path + ".path",
            "`" + relative + "` is outside the project.",
            "Give a path inside the project root.");
      }
      try {
        Files.createDirectories(target.getParent());
        Files.writeString(target, String.valueOf(file.get("data")), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new GroveException(
            ErrorCodes.BAD_REQUEST,
            "Unable to write file '" + relative + "' of the workflow: " + e.getMessage(),
            "Check that the folder is writable and no folder has the file's name.");
      }
    }
  }

  private String newId(String kind) {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return kind + "-" + HexFormat.of().formatHex(bytes);
  }

  private static ExecutorService workerPool() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "grove-workflow-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
