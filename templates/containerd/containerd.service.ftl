[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
# dbus.service: with SystemdCgroup, runc has systemd make each container's cgroup over D-Bus, so D-Bus stops
# after containerd, not before (as containerd's own unit orders it).
After=network.target dbus.service

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${binary} --config ${configFile}
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
