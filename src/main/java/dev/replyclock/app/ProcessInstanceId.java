package dev.replyclock.app;

import org.quartz.spi.InstanceIdGenerator;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Quartz's instance id of this process in the cluster: host name, process id and start time, so that an operator (or a
 * test) can tell from {@code qrtz_fired_triggers} which process runs a job; unique per start like Quartz's default.
 */
public final class ProcessInstanceId implements InstanceIdGenerator {

    @Override
    public String generateInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
    }
}
