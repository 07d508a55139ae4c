@echo off
rem Runs the LoudSync example host (loudsync-host.jar, beside this script) with JVM settings chosen
rem for a small host; see the comments of the loudsync-host script beside it. JAVA selects the java
rem command, JAVA_OPTS adds or overrides settings; every argument goes to the host.
setlocal
if "%JAVA%"=="" set JAVA=java
"%JAVA%" -XX:+UseSerialGC -Xms16m -Xmx512m -XX:TieredStopAtLevel=1 %JAVA_OPTS% -jar "%~dp0loudsync-host.jar" %*
