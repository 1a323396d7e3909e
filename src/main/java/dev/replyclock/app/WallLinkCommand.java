package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.store.Store;
import dev.replyclock.web.auth.CredentialStore;
import dev.replyclock.web.auth.WallDevices;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code replyclock wall-link --config FILE --name lobby-tv}: prints a one-time link that makes the browser opening
 * it a wall device; {@code --revoke NAME} ends a device's access, {@code --list} shows the devices. Writes the store
 * of the configuration, also while the service runs.
 */
@Command(name = "wall-link", mixinStandardHelpOptions = true,
        description = "Make a one-time link that puts the wall on a TV without a login; revoke or list wall devices.",
        footerHeading = "%nExample:%n", footer = "  replyclock wall-link --config config.yaml --name office-tv")
final class WallLinkCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @ArgGroup(multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--name", paramLabel = "NAME", description = "device name for a new one-time link, e.g. lobby-tv")
        String name;

        @Option(names = "--revoke", paramLabel = "NAME", description = "end this wall device's access at once")
        String revoke;

        @Option(names = "--list", description = "list the wall devices")
        boolean list;
    }

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        Config config = configOption.load();
        if (!config.access().enabled()) {
            System.err.println("no auth section in " + configOption.file + ": /wall is open to everyone and needs no link");
            return 2;
        }
        if (action.name != null && WallDevices.invalidName(action.name).isPresent()) {
            System.err.println("--name: " + WallDevices.invalidName(action.name).get());
            return 2;
        }
        try (Store store = StoreOpening.open(config.store())) {
            WallDevices devices = new WallDevices(new StoreCredentials(store), clock);
            if (action.list) {
                for (CredentialStore.Device d : devices.list()) {
                    System.out.println(d.name() + "\tenrolled " + d.created() + "\tlast seen " + d.lastSeen());
                }
                return 0;
            }
            if (action.revoke != null) {
                if (!devices.revoke(action.revoke)) {
                    System.err.println("no wall device named '" + action.revoke + "'");
                    return 1;
                }
                System.out.println("wall device " + action.revoke + " revoked");
                return 0;
            }
            WallDevices.Link link = devices.createLink(action.name);
            System.out.println(link.url(base(config)));
            System.err.println("Open it once on the TV before " + link.expires() + "; it works one time only.");
            return 0;
        }
    }

    private static String base(Config config) {
        String url = config.http().publicUrl();
        if (url == null) {
            return "http://localhost:" + config.http().port();
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
