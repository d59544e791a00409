package dev.grove.actions.build.container;

import static dev.grove.actions.spi.ActionCodes.DOCKERFILE_UNSUPPORTED;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.grove.actions.build.container.Dockerfile.Instruction;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.LogSink;
import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Translates a single-stage Dockerfile into a jib container plan: FROM, COPY/ADD of local files,
 * ENV, ARG, WORKDIR, USER, EXPOSE, LABEL, ENTRYPOINT, CMD, VOLUME. Everything that needs to run
 * something in the image (RUN, multi-stage builds, ...) is a {@link #DOCKERFILE_UNSUPPORTED} error.
 *
 * <p>The plan sets no times: jib's defaults (epoch creation time, fixed file times) make the same
 * inputs give the same image digest. File modes are taken from the context, as Docker does.
 */
public final class JibImagePlan {

  static final String WAY_OUT =
      "Use `buildMode: local-docker` with a Docker engine for RUN and multi-stage builds, or move"
          + " that step before Grove (build the binary, then COPY it).";

  private static final Pattern NUMERIC_OWNER = Pattern.compile("(\\d+)(?::(\\d+))?");
  private static final Pattern OCTAL_MODE = Pattern.compile("0?([0-7]{3})");
  private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/(\\w+))?");

  private final Dockerfile dockerfile;
  private final Path context;
  private final Map<String, String> buildArgs;
  private final BaseImages bases;
  private final LogSink log;
  private final DockerIgnore ignore;
  private final Predicate<String> inContext;
  private final Map<String, String> globalArgs = new HashMap<>();
  private final Map<String, String> vars = new HashMap<>();
  private final Set<String> envNames = new HashSet<>();
  private String workdir = "/";
  private JibContainerBuilder builder;

  private JibImagePlan(
      Dockerfile dockerfile,
      Path context,
      Map<String, String> buildArgs,
      BaseImages bases,
      LogSink log,
      Predicate<String> inContext)
      throws ActionException {
    this.inContext = inContext;
    this.dockerfile = dockerfile;
    this.context = context.toAbsolutePath().normalize();
    this.buildArgs = Map.copyOf(buildArgs);
    this.bases = bases;
    this.log = log;
    try {
      this.ignore = DockerIgnore.of(this.context);
    } catch (IOException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          "Cannot read " + this.context.resolve(".dockerignore") + ": " + e.getMessage(),
          e instanceof UserFiles.UnreadableException unreadable
              ? unreadable.suggestion()
              : "Check the file's permissions.");
    }
  }

  /** The plan for {@code dockerfile} with {@code context} as build context. */
  public static JibContainerBuilder plan(
      Dockerfile dockerfile, Path context, Map<String, String> buildArgs, BaseImages bases)
      throws ActionException {
    return plan(dockerfile, context, buildArgs, bases, (stream, text) -> {});
  }

  /** As {@link #plan(Dockerfile, Path, Map, BaseImages)}; ignored instructions are logged. */
  public static JibContainerBuilder plan(
      Dockerfile dockerfile,
      Path context,
      Map<String, String> buildArgs,
      BaseImages bases,
      LogSink log)
      throws ActionException {
    return plan(dockerfile, context, buildArgs, bases, log, path -> true);
  }

  /**
   * As {@link #plan(Dockerfile, Path, Map, BaseImages, LogSink)}, with only the paths (relative to
   * the context, {@code /} separators) that {@code inContext} accepts in the build context: the
   * action's sources after its include/exclude and ignore files.
   */
  public static JibContainerBuilder plan(
      Dockerfile dockerfile,
      Path context,
      Map<String, String> buildArgs,
      BaseImages bases,
      LogSink log,
      Predicate<String> inContext)
      throws ActionException {
    JibImagePlan plan = new JibImagePlan(dockerfile, context, buildArgs, bases, log, inContext);
    for (Instruction instruction : dockerfile.instructions()) {
      plan.apply(instruction);
    }
    return plan.builder;
  }

  /** Left out of the build context: by .dockerignore, or not among the action's sources. */
  private boolean excluded(String relativePath) {
    return ignore.ignores(relativePath) || !inContext.test(relativePath);
  }

  private void apply(Instruction in) throws ActionException {
    if (builder == null && !in.keyword().equals("FROM")) {
      globalArg(in);
      return;
    }
    switch (in.keyword()) {
      case "FROM" -> from(in);
      case "ARG" -> arg(in);
      case "ENV" -> env(in);
      case "LABEL" -> label(in);
      case "COPY", "ADD" -> copy(in);
      case "WORKDIR" -> {
        workdir = absolute(String.join(" ", words(in)));
        builder.setWorkingDirectory(AbsoluteUnixPath.get(workdir));
      }
      case "USER" -> builder.setUser(String.join(" ", words(in)));
      case "EXPOSE" -> expose(in);
      case "ENTRYPOINT" -> builder.setEntrypoint(command(in));
      case "CMD" -> builder.setProgramArguments(command(in));
      case "VOLUME" -> {
        List<String> paths = in.execForm() != null ? substituted(in, in.execForm()) : words(in);
        for (String path : paths) {
          builder.addVolume(AbsoluteUnixPath.get(normalize("/" + path)));
        }
      }
      case "STOPSIGNAL", "MAINTAINER" ->
          log.line(
              LogSink.STDERR,
              where(in) + ": " + in.keyword() + " is ignored: jib images do not carry it.");
      case "RUN" -> throw unsupported(in, "RUN runs commands in the image, which jib cannot do");
      case "HEALTHCHECK", "SHELL", "ONBUILD" ->
          throw unsupported(in, in.keyword() + " is not supported by the jib builder");
      default -> throw unsupported(in, in.keyword() + " is not supported by the jib builder");
    }
  }

  private void globalArg(Instruction in) throws ActionException {
    for (String word : Dockerfile.words(in.args(), globalArgs, dockerfile.fileName(), in.line())) {
      String[] pair = nameValue(word);
      String value = buildArgs.containsKey(pair[0]) ? buildArgs.get(pair[0]) : pair[1];
      if (value != null) {
        globalArgs.put(pair[0], value);
      }
    }
  }

  private void from(Instruction in) throws ActionException {
    if (builder != null) {
      throw unsupported(in, "a second FROM (multi-stage build)");
    }
    if (in.flags().containsKey("platform")) {
      throw unsupported(in, "FROM --platform");
    }
    List<String> words = Dockerfile.words(in.args(), globalArgs, dockerfile.fileName(), in.line());
    boolean named = words.size() == 3 && words.get(1).equalsIgnoreCase("AS");
    if (words.size() != 1 && !named) {
      throw Dockerfile.invalid(
          dockerfile.fileName(),
          in.line(),
          "FROM takes 'image [AS name]', not '" + in.args() + "'");
    }
    String image = words.get(0);
    builder = image.equals("scratch") ? Jib.fromScratch() : Jib.from(bases.resolve(image));
  }

  private void arg(Instruction in) throws ActionException {
    for (String word : words(in)) {
      String[] pair = nameValue(word);
      String value =
          buildArgs.containsKey(pair[0])
              ? buildArgs.get(pair[0])
              : pair[1] != null ? pair[1] : globalArgs.get(pair[0]);
      if (value != null && !envNames.contains(pair[0])) {
        vars.put(pair[0], value);
      }
    }
  }

  private void env(Instruction in) throws ActionException {
    Map<String, String> pairs = pairs(in);
    pairs.forEach(
        (name, value) -> {
          builder.addEnvironmentVariable(name, value);
          vars.put(name, value);
          envNames.add(name);
        });
  }

  private void label(Instruction in) throws ActionException {
    pairs(in).forEach(builder::addLabel);
  }

  /**
   * {@code k=v k2="v 2"}, or the legacy {@code KEY rest of line}; substituted with the old values.
   */
  private Map<String, String> pairs(Instruction in) throws ActionException {
    List<String> words = words(in);
    Map<String, String> pairs = new java.util.LinkedHashMap<>();
    if (!words.get(0).contains("=")) {
      if (words.size() < 2) {
        throw Dockerfile.invalid(
            dockerfile.fileName(), in.line(), in.keyword() + " needs name=value pairs");
      }
      pairs.put(words.get(0), String.join(" ", words.subList(1, words.size())));
      return pairs;
    }
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw Dockerfile.invalid(
            dockerfile.fileName(),
            in.line(),
            in.keyword() + " needs name=value pairs, '" + word + "' is not one");
      }
      pairs.put(word.substring(0, eq), word.substring(eq + 1));
    }
    return pairs;
  }

  private void expose(Instruction in) throws ActionException {
    for (String word : words(in)) {
      var matcher = PORT.matcher(word.toLowerCase(java.util.Locale.ROOT));
      String protocol = matcher.matches() && matcher.group(3) != null ? matcher.group(3) : "tcp";
      if (!matcher.matches() || !(protocol.equals("tcp") || protocol.equals("udp"))) {
        throw Dockerfile.invalid(
            dockerfile.fileName(),
            in.line(),
            "EXPOSE takes port[-port][/tcp|/udp], not '" + word + "'");
      }
      int first = Integer.parseInt(matcher.group(1));
      int last = matcher.group(2) == null ? first : Integer.parseInt(matcher.group(2));
      for (int port = first; port <= last; port++) {
        builder.addExposedPort(Port.parseProtocol(port, protocol));
      }
    }
  }

  /** Docker's rule: the exec form as written; the shell form runs under {@code /bin/sh -c}. */
  private static List<String> command(Instruction in) {
    return in.execForm() != null ? in.execForm() : List.of("/bin/sh", "-c", in.args());
  }

  private void copy(Instruction in) throws ActionException {
    boolean add = in.keyword().equals("ADD");
    for (String flag : in.flags().keySet()) {
      switch (flag) {
        case "chown", "chmod", "link" -> {}
        case "from" -> throw unsupported(in, in.keyword() + " --from (multi-stage build)");
        default -> throw unsupported(in, in.keyword() + " --" + flag);
      }
    }
    String ownership = ownership(in);
    FilePermissions mode = mode(in);
    List<String> items = in.execForm() != null ? substituted(in, in.execForm()) : words(in);
    if (items.size() < 2) {
      throw Dockerfile.invalid(
          dockerfile.fileName(), in.line(), in.keyword() + " needs a source and a destination");
    }
    String rawDest = items.get(items.size() - 1);
    boolean destIsDir = rawDest.endsWith("/") || rawDest.equals(".") || rawDest.endsWith("/.");
    String dest = absolute(rawDest);
    List<Path> matches = new ArrayList<>();
    for (String source : items.subList(0, items.size() - 1)) {
      if (source.startsWith("<<")) {
        throw unsupported(in, in.keyword() + " with a here-document");
      }
      if (add && (source.contains("://") || source.startsWith("git@"))) {
        throw unsupported(in, "ADD of a URL");
      }
      matches.addAll(sources(in, source));
    }
    if (matches.size() > 1 && !destIsDir) {
      throw Dockerfile.invalid(
          dockerfile.fileName(),
          in.line(),
          "with more than one source file, the destination of "
              + in.keyword()
              + " must be a folder ending with /");
    }
    TreeMap<String, FileEntry> entries = new TreeMap<>();
    for (Path match : matches) {
      if (Files.isDirectory(match)) {
        addTree(match, dest, mode, ownership, entries);
      } else {
        if (add && isArchive(match)) {
          throw unsupported(
              in, "ADD of a local archive (Docker would extract " + relative(match) + ")");
        }
        String target = destIsDir ? normalize(dest + "/" + match.getFileName()) : dest;
        entries.put(target, entry(match, target, mode, ownership));
      }
    }
    FileEntriesLayer layer =
        FileEntriesLayer.builder()
            .setName(in.keyword() + " at " + where(in))
            .setEntries(new ArrayList<>(entries.values()))
            .build();
    builder.addFileEntriesLayer(layer);
  }

  /**
   * The context paths a COPY source names: one path, or a glob's matches; ignored ones left out.
   */
  private List<Path> sources(Instruction in, String source) throws ActionException {
    String cleaned = normalize("/" + source).substring(1);
    Path direct = context.resolve(cleaned.isEmpty() ? "." : cleaned).normalize();
    if (!context
        .resolve(source.startsWith("/") ? source.substring(1) : source)
        .normalize()
        .startsWith(context)) {
      throw Dockerfile.invalid(
          dockerfile.fileName(), in.line(), "'" + source + "' is outside the build context");
    }
    List<Path> found = new ArrayList<>();
    if (cleaned.matches(".*[*?\\[].*")) {
      Pattern glob = Pattern.compile(DockerIgnore.regex(cleaned));
      try (Stream<Path> walk = Files.walk(context)) {
        walk.filter(p -> !p.equals(context))
            .filter(p -> glob.matcher(relative(p)).matches())
            .filter(p -> !excluded(relative(p)))
            .sorted()
            .forEach(found::add);
      } catch (IOException e) {
        throw readError(e);
      }
    } else if (Files.exists(direct) && (cleaned.isEmpty() || !excluded(cleaned))) {
      found.add(direct);
    }
    if (found.isEmpty()) {
      throw Dockerfile.invalid(
          dockerfile.fileName(),
          in.line(),
          "'"
              + source
              + "' is not in the build context "
              + context
              + " (or .dockerignore leaves it out)");
    }
    return found;
  }

  private void addTree(
      Path root,
      String dest,
      FilePermissions mode,
      String ownership,
      TreeMap<String, FileEntry> entries)
      throws ActionException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
        if (path.equals(root) || excluded(relative(path))) {
          continue;
        }
        String target = normalize(dest + "/" + root.relativize(path).toString().replace('\\', '/'));
        entries.put(target, entry(path, target, mode, ownership));
      }
    } catch (IOException e) {
      throw readError(e);
    }
  }

  private static FileEntry entry(Path path, String target, FilePermissions mode, String owner)
      throws ActionException {
    FilePermissions permissions = mode;
    if (permissions == null) {
      try {
        permissions = FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(path));
      } catch (UnsupportedOperationException | IOException e) {
        permissions =
            Files.isDirectory(path)
                ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
                : FilePermissions.DEFAULT_FILE_PERMISSIONS;
      }
    }
    return new FileEntry(
        path,
        AbsoluteUnixPath.get(target),
        permissions,
        FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
        owner);
  }

  private String ownership(Instruction in) throws ActionException {
    String chown = in.flags().get("chown");
    if (chown == null) {
      return "";
    }
    String value = Dockerfile.substitute(chown, vars, dockerfile.fileName(), in.line());
    var matcher = NUMERIC_OWNER.matcher(value);
    if (!matcher.matches()) {
      throw unsupported(
          in,
          "--chown="
              + value
              + " with names (only numeric uid[:gid] works without the image's"
              + " /etc/passwd)");
    }
    String uid = matcher.group(1);
    return uid + ":" + (matcher.group(2) == null ? uid : matcher.group(2));
  }

  private FilePermissions mode(Instruction in) throws ActionException {
    String chmod = in.flags().get("chmod");
    if (chmod == null) {
      return null;
    }
    String value = Dockerfile.substitute(chmod, vars, dockerfile.fileName(), in.line());
    var matcher = OCTAL_MODE.matcher(value);
    if (!matcher.matches()) {
      throw unsupported(in, "--chmod=" + value + " (only octal modes such as 0755 work)");
    }
    return FilePermissions.fromOctalString(matcher.group(1));
  }

  /** Tar, gzip, bzip2 and xz files: ADD would extract them. */
  private static boolean isArchive(Path file) throws ActionException {
    byte[] head = new byte[262];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw readError(e);
    }
    boolean gzip = read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    boolean bzip2 = read >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h';
    boolean xz =
        read >= 6
            && (head[0] & 0xff) == 0xfd
            && head[1] == '7'
            && head[2] == 'z'
            && head[3] == 'X'
            && head[4] == 'Z'
            && head[5] == 0;
    boolean tar =
        read >= 262
            && head[257] == 'u'
            && head[258] == 's'
            && head[259] == 't'
            && head[260] == 'a'
            && head[261] == 'r';
    return gzip || bzip2 || xz || tar;
  }

  private List<String> words(Instruction in) throws ActionException {
    return Dockerfile.words(in.args(), vars, dockerfile.fileName(), in.line());
  }

  private List<String> substituted(Instruction in, List<String> items) throws ActionException {
    List<String> out = new ArrayList<>();
    for (String item : items) {
      out.add(Dockerfile.substitute(item, vars, dockerfile.fileName(), in.line()));
    }
    return out;
  }

  private String absolute(String path) {
    return normalize(path.startsWith("/") ? path : workdir + "/" + path);
  }

  /** An absolute unix path without {@code .}, {@code ..}, doubled or trailing slashes. */
  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private String relative(Path path) {
    return context.relativize(path).toString().replace('\\', '/');
  }

  private static String[] nameValue(String word) {
    int eq = word.indexOf('=');
    return eq < 0
        ? new String[] {word, null}
        : new String[] {word.substring(0, eq), word.substring(eq + 1)};
  }

  private String where(Instruction in) {
    return dockerfile.fileName() + ":" + in.line();
  }

  private ActionException unsupported(Instruction in, String what) {
    String text = in.keyword() + " " + in.args();
    if (text.length() > 80) {
      text = text.substring(0, 77) + "...";
    }
    return new ActionException(
        DOCKERFILE_UNSUPPORTED,
        where(in)
            + ": `"
            + text
            + "`: "
            + what
            + "; Grove builds images without a Docker engine (jib), which only copies files"
            + " and sets image metadata.",
        WAY_OUT);
  }

  private static ActionException readError(IOException e) {
    return new ActionException(
        ActionCodes.INVALID_SPEC,
        "Cannot read the build context: " + e,
        "Check that the build context exists and is readable.");
  }
}
