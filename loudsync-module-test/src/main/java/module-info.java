/** An application that uses LoudSync from the module path; run by ModulePathTest. */
module dev.loudsync.moduletest {
    requires dev.loudsync.netty;
}
