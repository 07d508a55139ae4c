import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a Maven Central bundle (the zip central-publishing-maven-plugin uploads) against what
 * Central requires and what this project means to publish.
 *
 * <p>Usage: {@code java .ci/BundleCheck.java BUNDLE.zip PROJECT_DIR}. The modules that must be
 * in the bundle come from PROJECT_DIR's POMs: the parent, and every module of its
 * {@code <modules>} but those in the publishing plugin's {@code <excludeArtifacts>}; a module
 * added later is expected without a change here. For each it checks the files (POM; and for a jar
 * module the jar, sources jar and Javadoc jar), an {@code .asc} signature and md5/sha1 checksums
 * for each (and sha256/sha512 when present, all of them matching), the metadata Central requires
 * in the effective POM (name, description, url, licenses, developers, scm; url and scm the same
 * for every module, without the module's name appended), and that the BOM manages exactly the
 * published jar modules. The signatures themselves are verified with gpg by release-check.sh.
 *
 * <p>A single-file program on the JDK alone (run from source, no build, no dependencies): it has to
 * read a zip, XML and digests, which is clumsy and fragile in a shell script.
 */
public final class BundleCheck {

    private final List<String> problems = new ArrayList<>();
    private final Map<String, byte[]> files = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java BundleCheck.java BUNDLE.zip PROJECT_DIR");
            System.exit(2);
        }
        BundleCheck check = new BundleCheck();
        check.run(Path.of(args[0]), Path.of(args[1]));
        if (!check.problems.isEmpty()) {
            check.problems.forEach(p -> System.err.println("bundle-check: " + p));
            System.err.println("bundle-check: " + check.problems.size() + " problem(s) in " + args[0]);
            System.exit(1);
        }
    }

    private void run(Path bundle, Path project) throws Exception {
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        files.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
        Element root = read(Files.readAllBytes(project.resolve("pom.xml")));
        String groupId = text(root, "groupId");
        String version = text(root, "version");
        Set<String> excluded = new TreeSet<>();
        for (Element list : descendants(root, "excludeArtifacts")) {
            for (Element a : children(list, "artifact")) {
                excluded.add(a.getTextContent().trim());
            }
        }
        // artifactId -> packaging, in the order of the modules
        Map<String, String> published = new LinkedHashMap<>();
        published.put(text(root, "artifactId"), "pom");
        for (Element module : descendants(child(root, "modules"), "module")) {
            Element pom = read(Files.readAllBytes(project.resolve(module.getTextContent().trim()).resolve("pom.xml")));
            String artifactId = text(pom, "artifactId");
            if (!excluded.contains(artifactId)) {
                String packaging = text(pom, "packaging");
                published.put(artifactId, packaging == null ? "jar" : packaging);
            }
        }
        if (version == null || version.endsWith("-SNAPSHOT")) {
            problems.add("version " + version + ": Central takes releases only");
        }
        String base = groupId.replace('.', '/') + "/";

        Set<String> expected = new TreeSet<>();
        for (Map.Entry<String, String> m : published.entrySet()) {
            String dir = base + m.getKey() + "/" + version + "/";
            String stem = dir + m.getKey() + "-" + version;
            List<String> artifacts = new ArrayList<>(List.of(stem + ".pom"));
            if (m.getValue().equals("jar")) {
                artifacts.addAll(List.of(stem + ".jar", stem + "-sources.jar", stem + "-javadoc.jar"));
            }
            for (String a : artifacts) {
                expected.add(a);
                checkFile(a);
            }
            if (m.getValue().equals("jar")) {
                checkJars(stem);
            }
        }
        for (String name : files.keySet()) {
            String artifact = name.replaceFirst("\\.(asc|md5|sha1|sha256|sha512)$", "");
            if (!expected.contains(artifact)) {
                problems.add("not meant to be published: " + name);
            }
        }
        Map<String, Element> poms = new LinkedHashMap<>();
        for (String artifactId : published.keySet()) {
            byte[] pom = files.get(base + artifactId + "/" + version + "/" + artifactId + "-" + version + ".pom");
            if (pom != null) {
                poms.put(artifactId, read(pom));
            }
        }
        checkMetadata(poms);
        checkBom(poms, published, groupId);
        if (problems.isEmpty()) {
            System.out.println("bundle-check: " + files.size() + " files; " + published.keySet()
                    + " each with signatures, checksums and Central's POM metadata; the BOM manages "
                    + published.entrySet().stream().filter(e -> e.getValue().equals("jar")).map(Map.Entry::getKey)
                            .toList());
        }
    }

    /** The file, its signature, and checksums that match it. */
    private void checkFile(String name) throws NoSuchAlgorithmException {
        byte[] content = files.get(name);
        if (content == null) {
            problems.add("missing: " + name);
            return;
        }
        if (content.length == 0) {
            problems.add("empty: " + name);
        }
        if (!files.containsKey(name + ".asc")) {
            problems.add("missing signature: " + name + ".asc");
        }
        Map<String, String> algorithms = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
                "sha512", "SHA-512");
        for (Map.Entry<String, String> a : new TreeMap<>(algorithms).entrySet()) {
            byte[] sum = files.get(name + "." + a.getKey());
            boolean required = a.getKey().equals("md5") || a.getKey().equals("sha1");
            if (sum == null) {
                if (required) {
                    problems.add("missing checksum: " + name + "." + a.getKey());
                }
                continue;
            }
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance(a.getValue()).digest(content));
            String recorded = new String(sum, java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+")[0];
            if (!actual.equalsIgnoreCase(recorded)) {
                problems.add("checksum does not match: " + name + "." + a.getKey());
            }
        }
    }

    /** Classes in the jar, Java sources in the sources jar, pages with the right footer in the Javadoc jar. */
    private void checkJars(String stem) throws IOException {
        requireEntry(stem + ".jar", n -> n.endsWith(".class"), "no classes");
        requireEntry(stem + "-sources.jar", n -> n.endsWith(".java"), "no Java sources");
        requireEntry(stem + "-javadoc.jar", n -> n.equals("index.html"), "no index.html");
        byte[] javadoc = files.get(stem + "-javadoc.jar");
        if (javadoc != null) {
            // index.html of a one-package module is only a redirect; every class list carries the footer.
            String page = new String(entry(javadoc, "allclasses-index.html"), java.nio.charset.StandardCharsets.UTF_8);
            if (page.contains("All rights reserved") || !page.contains("Apache License")) {
                problems.add(stem + "-javadoc.jar: the footer must name the Apache License, not \"All rights reserved\"");
            }
        }
    }

    private void requireEntry(String jar, java.util.function.Predicate<String> wanted, String problem)
            throws IOException {
        byte[] content = files.get(jar);
        if (content == null) {
            return; // reported as missing already
        }
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(content))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (wanted.test(e.getName())) {
                    return;
                }
            }
        }
        problems.add(jar + ": " + problem);
    }

    private static byte[] entry(byte[] jar, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        return new byte[0];
    }

    /**
     * Central's required metadata, in each POM or inherited from its parent in the bundle, with
     * Maven's rule that an inherited url or scm gains "/artifactId" unless the parent says
     * child.*.inherit.append.path="false".
     */
    private void checkMetadata(Map<String, Element> poms) {
        Map<String, String> byField = new TreeMap<>();
        for (Map.Entry<String, Element> p : poms.entrySet()) {
            String id = p.getKey();
            Element pom = p.getValue();
            if (blank(text(pom, "name"))) {
                problems.add(id + ": no <name>");
            }
            if (blank(inherited(pom, poms, "description"))) {
                problems.add(id + ": no <description>");
            }
            Element licenses = inheritedElement(pom, poms, "licenses");
            if (licenses == null || children(licenses, "license").isEmpty()
                    || children(licenses, "license").stream().anyMatch(l -> blank(text(l, "name")) || blank(text(l, "url")))) {
                problems.add(id + ": no <licenses> with a name and url for each");
            }
            Element developers = inheritedElement(pom, poms, "developers");
            if (developers == null || children(developers, "developer").isEmpty()
                    || children(developers, "developer").stream().anyMatch(d -> blank(text(d, "name")))) {
                problems.add(id + ": no <developers> with a name for each");
            }
            for (String field : List.of("url", "scm/url", "scm/connection", "scm/developerConnection")) {
                String value = effective(pom, poms, field);
                if (blank(value)) {
                    problems.add(id + ": no <" + field + ">");
                    continue;
                }
                String first = byField.putIfAbsent(field, value);
                if (first != null && !first.equals(value)) {
                    problems.add(id + ": <" + field + "> is " + value + ", the other modules' is " + first);
                }
            }
        }
    }

    /** The value of url or scm/x as Maven computes it, or null. */
    private String effective(Element pom, Map<String, Element> poms, String field) {
        String[] path = field.split("/");
        Element holder = path.length == 1 ? pom : child(pom, path[0]);
        String own = holder == null ? null : text(holder, path[path.length - 1]);
        if (!blank(own)) {
            return own;
        }
        Element parent = parentOf(pom, poms);
        if (parent == null) {
            return null;
        }
        String inherited = effective(parent, poms, field);
        if (inherited == null) {
            return null;
        }
        Element attributeHolder = path.length == 1 ? parent : child(parent, path[0]);
        String attribute = "child." + (path.length == 1 ? "project." : "") + field.replace('/', '.')
                + ".inherit.append.path";
        boolean append = attributeHolder == null || !"false".equals(attributeHolder.getAttribute(attribute));
        return append ? inherited + "/" + text(pom, "artifactId") : inherited;
    }

    private String inherited(Element pom, Map<String, Element> poms, String name) {
        for (Element p = pom; p != null; p = parentOf(p, poms)) {
            if (!blank(text(p, name))) {
                return text(p, name);
            }
        }
        return null;
    }

    private Element inheritedElement(Element pom, Map<String, Element> poms, String name) {
        for (Element p = pom; p != null; p = parentOf(p, poms)) {
            if (child(p, name) != null) {
                return child(p, name);
            }
        }
        return null;
    }

    private Element parentOf(Element pom, Map<String, Element> poms) {
        Element parent = child(pom, "parent");
        if (parent == null) {
            return null;
        }
        Element found = poms.get(text(parent, "artifactId"));
        if (found == null) {
            problems.add(text(pom, "artifactId") + ": its parent " + text(parent, "artifactId")
                    + " is not in the bundle (Central could not resolve the POM)");
        }
        return found;
    }

    /** The BOM manages every published jar module, and nothing else of this project. */
    private void checkBom(Map<String, Element> poms, Map<String, String> published, String groupId) {
        List<String> boms = published.keySet().stream().filter(a -> a.endsWith("-bom")).toList();
        if (boms.size() != 1) {
            problems.add("expected one published *-bom module, found " + boms);
            return;
        }
        Element bom = poms.get(boms.get(0));
        if (bom == null) {
            return;
        }
        if (child(bom, "parent") != null) {
            problems.add(boms.get(0) + " has a parent: importing it would also import the parent's dependencyManagement");
        }
        Set<String> managed = new TreeSet<>();
        Element dm = child(bom, "dependencyManagement");
        for (Element d : dm == null ? List.<Element>of() : descendants(dm, "dependency")) {
            if (groupId.equals(text(d, "groupId"))) {
                managed.add(text(d, "artifactId"));
            }
        }
        Set<String> jars = new TreeSet<>();
        published.forEach((a, packaging) -> {
            if (packaging.equals("jar")) {
                jars.add(a);
            }
        });
        for (String a : jars) {
            if (!managed.contains(a)) {
                problems.add(boms.get(0) + " does not manage the published module " + a
                        + ": add it to " + boms.get(0) + "/pom.xml");
            }
        }
        for (String a : managed) {
            if (!jars.contains(a)) {
                problems.add(boms.get(0) + " manages " + a + ", which is not a published jar module");
            }
        }
    }

    private static Element read(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        return d.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static List<Element> descendants(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            var nodes = parent.getElementsByTagName(name);
            for (int i = 0; i < nodes.getLength(); i++) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
