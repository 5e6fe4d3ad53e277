;;; sasguard-test.el --- Run sasguard under a real Emacs + eglot, in batch mode  -*- lexical-binding: t; -*-
;; SASGUARD_BIN=target/debug/sasguard emacs --batch -Q -l editors/emacs/sasguard-test.el
;; Opens a Python file holding a (synthetic) leaked token, lets eglot start `sasguard lsp`,
;; and checks the diagnostic flymake shows. Prints "emacs: N passed, N failed".
(require 'package)
;; Debian's elpa-eglot lives here; -Q skips the site start-up that adds it.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'python)

(defvar sasguard-test-passed 0)
(defvar sasguard-test-failed 0)
(defun sasguard-test-check (name ok &optional detail)
  (if ok
      (progn (setq sasguard-test-passed (1+ sasguard-test-passed)) (princ (format "ok   %s\n" name)))
    (setq sasguard-test-failed (1+ sasguard-test-failed))
    (princ (format "FAIL %s%s\n" name (if detail (format ": %s" detail) "")))))

(let* ((bin (or (getenv "SASGUARD_BIN") "sasguard"))
       (dir (make-temp-file "sasguard-emacs" t))
       (file (expand-file-name "app.py" dir))
       (bytes (apply #'unibyte-string (mapcar (lambda (_) (random 256)) (number-sequence 1 32))))
       (sig (url-hexify-string (base64-encode-string bytes t)))
       (url (concat "https://acct.blob.core.windows.net/c?sv=2020-08-04&ss=b&srt=sco&sp=rwdl"
                    "&se=2051-10-06&st=2021-10-05&spr=https&sig=" sig)))
  (random "sasguard")
  (with-temp-file file (insert "import os\nMODEL_URL = \"" url "\"\n"))
  ;; The configuration a user adds to init.el (every major mode that should be checked):
  (add-to-list 'eglot-server-programs `((python-mode text-mode yaml-mode) . (,bin "lsp")))
  (find-file file)
  (python-mode)
  (apply #'eglot (eglot--guess-contact))
  (let ((deadline (+ (float-time) 20)) diags)
    (while (and (null diags) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      (flymake-start)
      (setq diags (flymake-diagnostics)))
    (sasguard-test-check "eglot shows a sasguard diagnostic" (= (length diags) 1) (length diags))
    (when diags
      (let* ((d (car diags))
             (text (flymake-diagnostic-text d))
             (beg (flymake-diagnostic-beg d)))
        (sasguard-test-check "it starts at the token" (equal (buffer-substring beg (+ beg 8)) "https://")
                             (buffer-substring beg (+ beg 8)))
        (sasguard-test-check "it is an error" (eq (flymake-diagnostic-type d) 'eglot-error) (flymake-diagnostic-type d))
        (sasguard-test-check "its message says what the token grants" (string-match-p "Account SAS, every blob container, " text) text)
        (sasguard-test-check "the message never holds the signature" (not (string-match-p (regexp-quote sig) text))))))
  (ignore-errors (eglot-shutdown (eglot-current-server))))

(princ (format "emacs: %d passed, %d failed\n" sasguard-test-passed sasguard-test-failed))
(kill-emacs (if (= sasguard-test-failed 0) 0 1))
