package io.redispatterns.sample.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles every {@code ```java} snippet of README.md against the library as it is, so that a
 * renamed method, a changed signature or a wrong annotation attribute in the README fails the
 * build. The convention the README follows:
 * <ul>
 * <li>A snippet with a {@code package} line is a whole source file and is compiled as it stands.</li>
 * <li>Any other snippet is a series of fragments separated by blank lines (outside braces). A fragment is compiled
 * as members of a class (annotated methods, fields, nested classes) or, if it is not members, as
 * the statements of a method. The class extends {@link ReadmeWorld}, which holds the reader's own
 * types ({@code Product}, ...) and the beans snippets use ({@code caches}, {@code locks}, ...).
 * The {@code import} lines shown in any snippet of the same {@code ##} section are imported, and
 * so are the Java and Spring packages snippets commonly use ({@code java.util}, Spring MVC's
 * annotations, ...). The library's own packages are not: each section shows them once, so a
 * reader knows where every type comes from.</li>
 * <li>{@code ...} stands for code left out: {@code (...)} for arguments, a {@code ...} that ends a
 * block for the rest of a body, any other {@code ...} for statements; {@code class X { ... }} for
 * a class body.</li>
 * </ul>
 */
class ReadmeSnippetsCompileTests {

	private static final Pattern JAVA_FENCE = Pattern.compile("^```java\\s*$");

	private static final Pattern PUBLIC_TYPE = Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

	private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");

	private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	/** Packages besides the library's that snippets use without naming them. */
	private static final List<String> IMPORTED_PACKAGES = List.of("java.util", "java.time", "java.io",
			"java.security", "java.util.concurrent.locks", "jakarta.servlet", "jakarta.servlet.http",
			"org.springframework.core", "org.springframework.context.annotation", "org.springframework.http", "org.springframework.web.bind.annotation",
			"org.springframework.web.filter", "org.springframework.web.servlet", "org.springframework.cache.annotation",
			"org.springframework.context.event", "org.springframework.scheduling.annotation",
			"org.springframework.security.core", "org.springframework.security.web.authentication",
			"org.springframework.boot.test.context", "org.junit.jupiter.api");

	/** Names found in more than one imported package, meant as these. */
	private static final List<String> SINGLE_IMPORTS = List.of("java.util.List", "java.util.Map",
			"java.util.concurrent.locks.Lock", "org.springframework.messaging.handler.annotation.Header",
			"org.junit.jupiter.api.Test", "java.time.Duration", "org.springframework.context.event.EventListener");

	@Test
	void everyJavaSnippetInTheReadmeCompiles(@TempDir Path classes) {
		List<Snippet> snippets = snippets(readme());
		assertThat(snippets).as("```java snippets in README.md").isNotEmpty();
		List<Source> wholeFiles = new ArrayList<>();
		List<Fragment> fragments = new ArrayList<>();
		// the imports a section shows (once, in any of its snippets) hold for all its snippets
		Map<String, String> sectionImports = new LinkedHashMap<>();
		for (Snippet snippet : snippets) {
			snippet.code().lines().map(ReadmeSnippetsCompileTests::stripComment)
				.filter((line) -> IMPORT.matcher(line).matches())
				.forEach((line) -> sectionImports.merge(snippet.section(), line.strip() + "\n", String::concat));
		}
		for (int i = 0; i < snippets.size(); i++) {
			Snippet snippet = snippets.get(i);
			if (PACKAGE.matcher(snippet.code()).find()) {
				wholeFiles.add(wholeFile(snippet));
			}
			else {
				fragments.addAll(fragments(i, snippet, sectionImports));
			}
		}
		String imports = imports();
		List<String> problems = new ArrayList<>();
		// whole files, with what they refer to from the reader's application
		List<Source> sources = new ArrayList<>(wholeFiles);
		sources.add(new Source("com/example/MyApplication.java", "package com.example;\n"
				+ "public class MyApplication { public static void main(String[] args) { } }\n", "stub"));
		problems.addAll(compile(sources, classes));
		// fragments: members first, statements for those that are not members
		List<Source> asMembers = new ArrayList<>();
		for (int i = 0; i < fragments.size(); i++) {
			asMembers.add(fragments.get(i).asMembers("Fragment" + i, imports));
		}
		Map<String, List<String>> memberErrors = errorsBySource(asMembers, classes);
		List<Fragment> members = new ArrayList<>();
		for (int i = 0; i < fragments.size(); i++) {
			if (!memberErrors.containsKey(asMembers.get(i).path())) {
				members.add(fragments.get(i));
			}
		}
		List<Source> asStatements = new ArrayList<>();
		for (int i = 0; i < fragments.size(); i++) {
			if (memberErrors.containsKey(asMembers.get(i).path())) {
				Fragment fragment = fragments.get(i);
				asStatements.add(fragment.asStatements("Fragment" + i, imports,
						members.stream().filter((member) -> member.snippet() == fragment.snippet()).toList()));
			}
		}
		Map<String, List<String>> statementErrors = errorsBySource(asStatements, classes);
		for (int i = 0; i < fragments.size(); i++) {
			String asMember = asMembers.get(i).path();
			String statements = "Fragment" + i + "Statements.java";
			if (memberErrors.containsKey(asMember) && statementErrors.containsKey(statements)) {
				Fragment fragment = fragments.get(i);
				problems.add("README.md line " + fragment.line() + " (" + fragment.section() + "):\n" + fragment.code()
						+ "\n  as members: " + memberErrors.get(asMember) + "\n  as statements: "
						+ statementErrors.get(statements));
			}
		}
		System.out.printf("[readme] %d java snippets: %d whole files and %d fragments compiled%n", snippets.size(),
				wholeFiles.size(), fragments.size());
		assertThat(problems).as("README snippets that do not compile").isEmpty();
	}

	@Test
	void aSnippetUsingAMethodTheLibraryDoesNotHaveIsReported(@TempDir Path classes) {
		Fragment wrong = new Fragment(0, "Caching", 1, "caches.evictEverything(\"products\");", "");
		Map<String, List<String>> errors = errorsBySource(List.of(wrong.asStatements("Wrong", imports(), List.of())),
				classes);
		assertThat(errors).containsKey("WrongStatements.java");
		assertThat(errors.get("WrongStatements.java").toString()).contains("evictEverything");
	}

	@Test
	void aWrongAnnotationAttributeIsReportedEvenWhenAnotherFragmentIsNotMembers(@TempDir Path classes) {
		Fragment wrong = new Fragment(0, "Distributed locks", 1, "@DistributedLock(keyy = \"'x'\")\npublic void ship() { ... }",
				"import io.redispatterns.lock.*;\n");
		Fragment statements = new Fragment(0, "Distributed locks", 3, "locks.asLock(\"ledger\").lock();", "");
		Map<String, List<String>> errors = errorsBySource(
				List.of(wrong.asMembers("Wrong", imports()), statements.asMembers("Statements", imports())), classes);
		assertThat(errors).containsKeys("Wrong.java", "Statements.java");
		assertThat(errors.get("Wrong.java").toString()).contains("keyy");
	}

	@Test
	void elisionsBecomeCodeThatCompiles() {
		assertThat(elide("public Product product(long id) { ... }"))
			.isEqualTo("public Product product(long id) { throw elided(); }");
		assertThat(elide("new OrderPlaced(...)")).isEqualTo("new OrderPlaced()");
		assertThat(elide("lease.ifPresent(l -> { try (l) { ... l.extend(d); ... } });"))
			.isEqualTo("lease.ifPresent(l -> { try (l) { elided(); l.extend(d); throw elided(); } });");
		assertThat(elide("class OrderServiceTests { ... }  // a comment ...")).isEqualTo("class OrderServiceTests { }");
		assertThat(elide("void main(String... args) { }")).isEqualTo("void main(String... args) { }");
	}

	// --- reading the README

	record Snippet(String section, int line, String code) {
	}

	record Fragment(int snippet, String section, int line, String code, String sectionImports) {

		Source asMembers(String name, String imports) {
			return new Source(name + ".java", imports + this.sectionImports + "class " + name + " extends ReadmeWorld {\n" + elide(this.code)
					+ "\n}\n", this.section);
		}

		/** As statements, next to the snippet's other fragments that are members (a class it declares). */
		Source asStatements(String name, String imports, List<Fragment> members) {
			StringBuilder declared = new StringBuilder();
			for (Fragment member : members) {
				declared.append(elide(member.code())).append('\n');
			}
			return new Source(name + "Statements.java", imports + this.sectionImports + "class " + name + "Statements extends ReadmeWorld {\n"
					+ declared + "void fragment() throws Exception {\n" + elide(this.code) + "\n}\n}\n", this.section);
		}

	}

	record Source(String path, String code, String section) {
	}

	private static List<Snippet> snippets(List<String> readme) {
		List<Snippet> snippets = new ArrayList<>();
		String section = "";
		for (int i = 0; i < readme.size(); i++) {
			String line = readme.get(i);
			if (line.startsWith("## ")) {
				section = line.substring(3).trim();
			}
			if (JAVA_FENCE.matcher(line).matches()) {
				int start = i + 1;
				StringBuilder code = new StringBuilder();
				for (i = start; i < readme.size() && !readme.get(i).startsWith("```"); i++) {
					code.append(readme.get(i)).append('\n');
				}
				snippets.add(new Snippet(section, start + 1, code.toString()));
			}
		}
		return snippets;
	}

	/** Splits a snippet at blank lines. */
	private static List<Fragment> fragments(int index, Snippet snippet, Map<String, String> sectionImports) {
		List<Fragment> fragments = new ArrayList<>();
		String[] lines = snippet.code().lines().map((line) -> IMPORT.matcher(stripComment(line)).matches() ? "" : line)
			.toArray(String[]::new);
		StringBuilder current = new StringBuilder();
		int first = -1;
		int depth = 0;
		for (int i = 0; i <= lines.length; i++) {
			boolean blank = i == lines.length || lines[i].isBlank();
			if (blank && depth == 0) {
				if (first >= 0) {
					fragments.add(new Fragment(index, snippet.section(), snippet.line() + first, current.toString(),
							sectionImports.getOrDefault(snippet.section(), "")));
				}
				current.setLength(0);
				first = -1;
			}
			else {
				first = (first < 0) ? i : first;
				current.append(lines[i]).append('\n');
				String code = stripComment(lines[i]);
				depth += count(code, '{') - count(code, '}');
			}
		}
		return fragments;
	}

	private static int count(String code, char c) {
		return (int) code.chars().filter((ch) -> ch == c).count();
	}

	private static Source wholeFile(Snippet snippet) {
		Matcher pkg = PACKAGE.matcher(snippet.code());
		pkg.find();
		Matcher type = PUBLIC_TYPE.matcher(snippet.code());
		assertThat(type.find()).as("a public type in the snippet at README.md line %d", snippet.line()).isTrue();
		return new Source(pkg.group(1).replace('.', '/') + "/" + type.group(1) + ".java", snippet.code(),
				snippet.section());
	}

	// --- turning elisions into code

	private static final Pattern LINE_COMMENT = Pattern.compile("//.*$");

	static String elide(String code) {
		StringBuilder out = new StringBuilder();
		for (String line : code.split("\n", -1)) {
			out.append(stripComment(line).stripTrailing()).append('\n');
		}
		String result = out.substring(0, out.length() - 1);
		result = result.replaceAll("(class\\s+\\w+[^{;]*)\\{\\s*\\.\\.\\.\\s*}", "$1{ }");
		result = result.replace("(...)", "()");
		result = result.replaceAll("(?<![\\w.])\\.\\.\\.(?=\\s*})", "throw elided();");
		result = result.replaceAll("(?<![\\w.])\\.\\.\\.(?![\\w.])", "elided();");
		return result;
	}

	/** Removes a {@code //} comment that is not inside a string literal. */
	private static String stripComment(String line) {
		boolean inString = false;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
				inString = !inString;
			}
			else if (!inString && c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
				return line.substring(0, i);
			}
		}
		return line;
	}

	// --- compiling

	private static String imports() {
		// the library's own types are not imported here: a section's snippets show where they come from
		StringBuilder imports = new StringBuilder("package io.redispatterns.sample.readme;\n");
		for (String pkg : IMPORTED_PACKAGES) {
			imports.append("import ").append(pkg).append(".*;\n");
		}
		for (String type : SINGLE_IMPORTS) {
			imports.append("import ").append(type).append(";\n");
		}
		return imports.toString();
	}

	private static String classPath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	private static List<String> compile(List<Source> sources, Path classes) {
		return errorsBySource(sources, classes).entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ": " + entry.getValue())
			.collect(Collectors.toList());
	}

	private static Map<String, List<String>> errorsBySource(List<Source> sources, Path classes) {
		Map<String, List<String>> errors = new LinkedHashMap<>();
		if (sources.isEmpty()) {
			return errors;
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("a JDK's compiler").isNotNull();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		List<JavaFileObject> units = sources.stream().map(InMemorySource::new).collect(Collectors.toList());
		// attribute every file even when another one has a syntax error (a fragment tried as members that
		// is statements), so that a wrong name in any fragment is reported
		List<String> options = List.of("-proc:none", "-nowarn", "-XDshould-stop.ifError=FLOW", "-classpath",
				classPath(), "-d", classes.toString());
		compiler.getTask(null, null, diagnostics, options, null, units).call();
		for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
			if (diagnostic.getKind() == Diagnostic.Kind.ERROR && diagnostic.getSource() != null) {
				String path = ((InMemorySource) diagnostic.getSource()).source.path();
				errors.computeIfAbsent(path, (key) -> new ArrayList<>())
					.add("line " + diagnostic.getLineNumber() + ": " + diagnostic.getMessage(Locale.ROOT));
			}
		}
		return errors;
	}

	private static final class InMemorySource extends SimpleJavaFileObject {

		private final Source source;

		InMemorySource(Source source) {
			super(URI.create("string:///" + source.path()), Kind.SOURCE);
			this.source = source;
		}

		@Override
		public CharSequence getCharContent(boolean ignoreEncodingErrors) {
			return this.source.code();
		}

	}

	private static List<String> readme() {
		Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
		assertThat(root.resolve("README.md")).as("README.md next to the sample-app module").isRegularFile();
		try {
			return Files.readAllLines(root.resolve("README.md"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
