package dev.replyclock.config;

import java.util.List;

/** A team and its members, in configuration order. */
public record TeamConfig(String id, List<Member> members) {

    /** A rep; addresses are lower-cased. */
    public record Member(String id, String name, List<String> addresses) {
    }
}
