"""gunicorn's settings for the benchmark's server (bench/run.py gives the address).

Named explicitly, so that no gunicorn.conf.py elsewhere changes what is measured.
"""

workers = 2
worker_class = "sync"
# A slow page is measured, not killed (wrk gives up on a request after 60 s).
timeout = 120
accesslog = None
# No control socket: it would be one path in $HOME, shared with every other gunicorn on the host.
control_socket_disable = True
