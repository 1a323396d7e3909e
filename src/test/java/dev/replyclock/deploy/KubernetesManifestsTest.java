package dev.replyclock.deploy;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A light schema check of {@code deploy/kubernetes/} (no cluster and no validator here): every document has
 * apiVersion, kind and metadata.name; the references between them hold (selectors, named ports, volumes, the PVC,
 * the ConfigMap, the Secret); the Deployment is one replica with Recreate, non-root, with /healthz and /readyz
 * probes; the ConfigMap's config.yaml passes Replyclock's own validation. The overlay {@code deploy/kubernetes-ha/}
 * (two replicas on an external PostgreSQL) patches what exists in the base and its configuration passes validation.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final Map<String, String> API_VERSIONS = Map.of("Deployment", "apps/v1", "Service", "v1",
            "ConfigMap", "v1", "Secret", "v1", "PersistentVolumeClaim", "v1",
            "ServiceMonitor", "monitoring.coreos.com/v1", "Kustomization", "kustomize.config.k8s.io/v1beta1");

    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    if (doc != null) {
                        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) doc;
                        map.put("__file", file.getFileName().toString());
                        DOCS.add(map);
                    }
                }
            }
        }
    }

    @Test
    void everyDocumentHasApiVersionKindAndName() {
        assertTrue(DOCS.size() >= 7, "documents: " + DOCS.size());
        for (Map<String, Object> doc : DOCS) {
            String kind = (String) doc.get("kind");
            assertNotNull(kind, doc.get("__file") + ": kind");
            assertEquals(API_VERSIONS.get(kind), doc.get("apiVersion"), doc.get("__file") + ": apiVersion of " + kind);
            if (!kind.equals("Kustomization")) {
                assertNotNull(map(doc, "metadata").get("name"), doc.get("__file") + ": metadata.name");
            }
        }
    }

    @Test
    void kustomizationListsExistingFilesAndNotTheExampleSecret() {
        List<String> resources = list(one("Kustomization"), "resources");
        for (String r : resources) {
            assertTrue(Files.isRegularFile(DIR.resolve(r)), r);
        }
        assertFalse(resources.contains("secret.example.yaml"));
    }

    @Test
    void deploymentIsOneNonRootReplicaWithProbesOnNamedPortsAndItsVolumes() {
        Map<String, Object> d = one("Deployment");
        Map<String, Object> spec = map(d, "spec");
        assertEquals(1, spec.get("replicas"));
        assertEquals("Recreate", map(spec, "strategy").get("type"));
        Map<String, Object> template = map(spec, "template");
        Map<String, Object> labels = map(map(template, "metadata"), "labels");
        assertTrue(labels.entrySet().containsAll(map(map(spec, "selector"), "matchLabels").entrySet()), "selector matches the pod");
        Map<String, Object> pod = map(template, "spec");
        assertEquals(true, map(pod, "securityContext").get("runAsNonRoot"));
        Set<String> volumes = new HashSet<>();
        for (Map<String, Object> v : maps(pod, "volumes")) {
            volumes.add((String) v.get("name"));
            if (v.containsKey("persistentVolumeClaim")) {
                assertEquals(name(one("PersistentVolumeClaim")), map(v, "persistentVolumeClaim").get("claimName"));
            }
            if (v.containsKey("configMap")) {
                assertEquals(name(one("ConfigMap")), map(v, "configMap").get("name"));
            }
        }
        List<Map<String, Object>> containers = maps(pod, "containers");
        assertEquals(1, containers.size());
        Map<String, Object> c = containers.get(0);
        assertNotNull(c.get("image"));
        Set<String> ports = new HashSet<>();
        maps(c, "ports").forEach(p -> ports.add((String) p.get("name")));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Map<String, Object> get = map(map(c, probe), "httpGet");
            assertTrue(ports.contains(get.get("port")), probe + " port");
            assertEquals(probe.equals("readinessProbe") ? "/readyz" : "/healthz", get.get("path"), probe);
        }
        for (Map<String, Object> m : maps(c, "volumeMounts")) {
            assertTrue(volumes.contains(m.get("name")), "volume " + m.get("name"));
        }
        assertEquals("replyclock-secrets", map(maps(c, "envFrom").get(0), "secretRef").get("name"));
        assertEquals(name(one("Secret")), "replyclock-secrets");
        assertEquals(false, map(c, "securityContext").get("allowPrivilegeEscalation"));
        Map<String, Object> service = one("Service");
        Map<String, Object> serviceSpec = map(service, "spec");
        assertTrue(labels.entrySet().containsAll(map(serviceSpec, "selector").entrySet()), "service selects the pod");
        Set<String> servicePorts = new HashSet<>();
        for (Map<String, Object> p : maps(serviceSpec, "ports")) {
            assertTrue(ports.contains(p.get("targetPort")), "targetPort " + p.get("targetPort"));
            servicePorts.add((String) p.get("name"));
        }
        Map<String, Object> monitor = map(one("ServiceMonitor"), "spec");
        assertTrue(map(map(service, "metadata"), "labels").entrySet()
                .containsAll(map(map(monitor, "selector"), "matchLabels").entrySet()), "the ServiceMonitor selects the Service");
        for (Map<String, Object> e : maps(monitor, "endpoints")) {
            assertTrue(servicePorts.contains(e.get("port")), "endpoint port " + e.get("port"));
            assertEquals("/metrics", e.get("path"));
        }
    }

    @Test
    void theConfigMapsConfigPassesValidation(@TempDir Path dir) throws IOException {
        String yaml = (String) map(one("ConfigMap"), "data").get("config.yaml");
        Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
        Config config = ConfigLoader.load(file, name -> name.equals("IMAP_PASSWORD") ? "secret" : null);
        assertEquals(Path.of("/var/lib/replyclock/replyclock.db"), config.store().path());
        assertEquals(9466, config.http().managementPort());
    }

    @Test
    void theHaOverlayPatchesTheBaseIntoTwoReplicasOnPostgresql(@TempDir Path dir) throws IOException {
        Path ha = Path.of("deploy/kubernetes-ha");
        Map<String, Map<String, Object>> byFile = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(ha)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                @SuppressWarnings("unchecked") Map<String, Object> doc = (Map<String, Object>) new Yaml().load(Files.readString(file));
                byFile.put(file.getFileName().toString(), doc);
            }
        }
        Map<String, Object> kustomization = byFile.get("kustomization.yaml");
        assertEquals(API_VERSIONS.get("Kustomization"), kustomization.get("apiVersion"));
        assertEquals(List.of("../kubernetes"), list(kustomization, "resources"), "an overlay of the base");
        for (Map<String, Object> patch : maps(kustomization, "patches")) {
            Map<String, Object> target = byFile.get((String) patch.get("path"));
            assertNotNull(target, "patch file " + patch.get("path"));
            // each patch names a document of the base, by kind and name
            assertEquals(name(one((String) target.get("kind"))), name(target), patch.get("path") + " patches the base");
            assertEquals(API_VERSIONS.get((String) target.get("kind")), target.get("apiVersion"), (String) patch.get("path"));
        }
        assertTrue(list(kustomization, "resources").stream().noneMatch(r -> r.contains("secret")));

        Map<String, Object> spec = map(byFile.get("deployment.yaml"), "spec");
        assertEquals(2, spec.get("replicas"));
        assertEquals("RollingUpdate", map(spec, "strategy").get("type"));
        Map<String, Object> data = maps(map(map(spec, "template"), "spec"), "volumes").get(0);
        assertEquals("data", data.get("name"));
        assertTrue(data.containsKey("persistentVolumeClaim") && data.get("persistentVolumeClaim") == null,
                "the base's claim is removed from the volume");
        assertNotNull(data.get("emptyDir"));
        assertEquals("delete", byFile.get("no-pvc.yaml").get("$patch"));
        assertEquals("PersistentVolumeClaim", byFile.get("no-pvc.yaml").get("kind"));

        String yaml = (String) map(byFile.get("configmap.yaml"), "data").get("config.yaml");
        Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
        Config config = ConfigLoader.load(file, n -> n.equals("IMAP_PASSWORD") || n.equals("PGPASSWORD") ? "secret" : null);
        assertTrue(config.store().isPostgres(), "the store is PostgreSQL");
        assertTrue(config.store().url().startsWith("jdbc:postgresql://"), config.store().url());
        assertEquals("secret", config.store().password());
        assertEquals(9466, config.http().managementPort());
        assertTrue(map(byFile.get("secret.example.yaml"), "stringData").containsKey("PGPASSWORD"));
    }

    private static Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = DOCS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), kind + " documents");
        return found.get(0);
    }

    private static String name(Map<String, Object> doc) {
        return (String) map(doc, "metadata").get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Map, key + " is a mapping in " + m.keySet());
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof List, key + " is a list");
        return (List<Map<String, Object>>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> m, String key) {
        return (List<String>) m.get(key);
    }
}
